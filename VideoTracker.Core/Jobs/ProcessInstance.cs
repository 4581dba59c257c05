using VideoTracker.Core.Nodes;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// This process: <see cref="Id"/> owns job leases (a restarted process is a new owner), <see cref="NodeName"/>
/// (<c>Node:Name</c>) is what people see as the job's <c>worker</c>.
/// </summary>
public sealed class ProcessInstance(IOptions<NodeOptions> node)
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public string NodeName { get; } = node.Value.NodeName;
}
