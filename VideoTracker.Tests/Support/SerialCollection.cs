namespace VideoTracker.Tests.Support;

/// <summary>
/// Tests that drive a real browser or a real child process: they run after the parallel tests, one at a
/// time, so a 2-core machine gives them the time their waits assume.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
