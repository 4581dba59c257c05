using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Nodes;

/// <summary>What this node takes on: the tools whose jobs it claims now.</summary>
public sealed class NodeCapabilities(PluginRegistry plugins, DataPaths paths, IOptions<NodeOptions> node)
{
    /// <summary>
    /// The tools available here, when this node runs jobs and its data folder is the shared one (see
    /// <see cref="NodeOptions.IsOffSharedFolder"/>); otherwise none. The claim and the <c>nodes</c> row both use this.
    /// </summary>
    public IReadOnlyList<ToolKey> ClaimableTools() =>
        node.Value.RunsJobs && !node.Value.IsOffSharedFolder(paths) ? plugins.AvailableTools() : [];
}
