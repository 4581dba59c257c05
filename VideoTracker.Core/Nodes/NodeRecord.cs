namespace VideoTracker.Core.Nodes;

/// <summary>
/// One row of <c>nodes</c>: a running process of the app, as it last said of itself (see <see cref="NodeBeat"/>). A node
/// writes its row at start-up and every <c>Jobs:SweepSeconds</c>, and deletes it when it stops; the row of a node that died
/// stays until it is <see cref="NodeStore.ForgetAfter"/> old.
/// </summary>
public sealed class NodeRecord
{
    /// <summary>The process's own id (<see cref="Jobs.ProcessInstance.Id"/>), the one its job leases carry.</summary>
    public required string NodeId { get; set; }

    /// <summary><c>Node:Name</c>, as jobs name their <c>worker</c>.</summary>
    public required string Name { get; set; }

    /// <summary><c>all</c>, <c>web</c> or <c>worker</c>.</summary>
    public required string Role { get; set; }

    /// <summary>The tools (each as <see cref="ToolKey.ToStored"/> writes it) whose jobs this node claims now; empty for a node that runs no jobs.</summary>
    public List<string> Tools { get; set; } = [];

    public DateTime StartedAt { get; set; }

    public DateTime LastSeenAt { get; set; }
}
