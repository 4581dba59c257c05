namespace VideoTracker.Core.Nodes;

/// <summary>What a process does: everything (<c>all</c>), the UI and API only (<c>web</c>), or jobs only (<c>worker</c>).</summary>
public enum NodeRole
{
    All,
    Web,
    Worker,
}

/// <summary><c>Node:Role</c> and <c>Node:Name</c>; checked at start-up by <see cref="NodeOptionsValidator"/>.</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>As configured; see <see cref="Kind"/>.</summary>
    public string Role { get; set; } = "all";

    /// <summary>Recorded on each job this node runs (<c>worker</c>). Defaults to the host name and process id.</summary>
    public string? Name { get; set; }

    public NodeRole Kind => TryParseRole(Role, out var kind) ? kind : NodeRole.All;

    public string NodeName => string.IsNullOrWhiteSpace(Name) ? $"{Environment.MachineName}-{Environment.ProcessId}" : Name.Trim();

    public bool RunsJobs => Kind is NodeRole.All or NodeRole.Worker;

    public bool ServesUi => Kind is NodeRole.All or NodeRole.Web;

    internal static bool TryParseRole(string? value, out NodeRole kind) =>
        Enum.TryParse(value, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(value, out _);
}
