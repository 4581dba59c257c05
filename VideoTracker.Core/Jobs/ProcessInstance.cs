namespace VideoTracker.Core.Jobs;

/// <summary>Identifies this process as the owner of job leases. A restarted process is a new owner.</summary>
public sealed class ProcessInstance
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
}
