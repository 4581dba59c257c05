using VideoTracker.Core.Storage;

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

    /// <summary>The role as configured and as the <c>nodes</c> table shows it: <c>all</c>, <c>web</c> or <c>worker</c>.</summary>
    public string RoleName => Kind.ToString().ToLowerInvariant();

    public string NodeName => string.IsNullOrWhiteSpace(Name) ? $"{Environment.MachineName}-{Environment.ProcessId}" : Name.Trim();

    public bool RunsJobs => Kind is NodeRole.All or NodeRole.Worker;

    public bool ServesUi => Kind is NodeRole.All or NodeRole.Web;

    /// <summary>Whether this node writes the data folder's <see cref="DataPaths.MarkerFile"/> at start-up: those that take uploads.</summary>
    public bool WritesDataMarker => ServesUi;

    /// <summary>
    /// A node that does not write the marker and does not find it in its data folder is not on the shared folder:
    /// it claims no job, and its readiness says why.
    /// </summary>
    public bool IsOffSharedFolder(DataPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return !WritesDataMarker && !paths.HasMarker;
    }

    internal static bool TryParseRole(string? value, out NodeRole kind) =>
        Enum.TryParse(value, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(value, out _);
}

/// <summary>Refuses an unknown role, and <c>web</c> or <c>worker</c> on SQLite (one process's database).</summary>
internal sealed class NodeOptionsValidator(IOptions<DatabaseOptions> database) : IValidateOptions<NodeOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        if (!NodeOptions.TryParseRole(options.Role, out var role))
        {
            return ValidateOptionsResult.Fail($"Node:Role '{options.Role}' is not supported. Use 'all' (the default), 'web' or 'worker'.");
        }

        if (role != NodeRole.All && database.Value.Kind != DatabaseProvider.Postgres)
        {
            return ValidateOptionsResult.Fail(
                $"Node:Role '{role.ToString().ToLowerInvariant()}' needs Database:Provider 'Postgres': SQLite is one process's database, " +
                "so web and worker nodes cannot share it. Set Database__Provider=Postgres and ConnectionStrings__Postgres on every node, " +
                "or run a single node with Node:Role 'all'.");
        }

        return ValidateOptionsResult.Success;
    }
}
