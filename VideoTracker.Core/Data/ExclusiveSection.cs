namespace VideoTracker.Core.Data;

/// <summary>The kinds of change that <see cref="VideoTrackerDbContext.BeginExclusiveAsync"/> serialises; each value is its lock's key.</summary>
public enum ExclusiveSection
{
    /// <summary>Changes to who is an enabled admin, so that the last one always stays.</summary>
    Admins = 0x5654_0001,
}
