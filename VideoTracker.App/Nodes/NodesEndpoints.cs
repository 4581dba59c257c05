using VideoTracker.App.Accounts;
using VideoTracker.Core.Nodes;

namespace VideoTracker.App.Nodes;

/// <summary><c>GET /v1/nodes</c> (admin): the app's nodes, what each claims, and whether it is running.</summary>
public static class NodesEndpoints
{
    public static IEndpointRouteBuilder MapNodesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/nodes").WithTags("Nodes").RequireAuthorization(AuthNames.AdminPolicy)
            .MapGet("/", ListNodes).WithName("ListNodes").WithSummary("The nodes, their roles and the tools whose jobs they claim, most recently seen first (admin)");
        return app;
    }

    internal static async Task<NodeListDto> ListNodes(NodeStore nodes, TimeProvider time, IOptions<JobsOptions> options, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().UtcDateTime - NodeStore.SeenWithin(options.Value);
        return new([.. (await nodes.ListAsync(cancellationToken).ConfigureAwait(false)).Select(n => NodeDto.From(n, since))]);
    }
}

/// <summary>A node as <c>GET /v1/nodes</c> lists it; <c>running</c>: seen within three of its beats (<c>Jobs:SweepSeconds</c>).</summary>
public sealed record NodeDto(string NodeId, string Name, string Role, IReadOnlyList<string> Tools, DateTime StartedAt, DateTime LastSeenAt, bool Running)
{
    public static NodeDto From(NodeRecord node, DateTime runningSince)
    {
        ArgumentNullException.ThrowIfNull(node);
        var tools = node.Tools.Select(t => ToolKey.FromStored(t)?.ToString() ?? t).ToList();
        return new(node.NodeId, node.Name, node.Role, tools, node.StartedAt, node.LastSeenAt, node.LastSeenAt >= runningSince);
    }
}

public sealed record NodeListDto(IReadOnlyList<NodeDto> Nodes);
