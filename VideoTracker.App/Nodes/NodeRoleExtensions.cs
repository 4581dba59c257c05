using VideoTracker.Core.Nodes;

namespace VideoTracker.App.Nodes;

public static class NodeRoleExtensions
{
    private static readonly PathString[] WorkerPaths = ["/health/live", "/health/ready"];

    /// <summary>
    /// A <c>worker</c> node answers only its health checks over HTTP: everything else is 404 with the reason,
    /// so a load balancer that sends it UI or API traffic by mistake fails loudly.
    /// </summary>
    public static WebApplication UseVideoTrackerNodeRole(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // Read per request (a cached singleton), never while the app is being built: bad options must reach start-up.
            var worker = context.RequestServices.GetRequiredService<IOptions<NodeOptions>>().Value.Kind == NodeRole.Worker;
            if (!worker || WorkerPaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(
                new { detail = "This is a worker node (Node:Role=worker): it serves only /health/live and /health/ready. Send UI and API traffic to a web node." })
                .ConfigureAwait(false);
        });
        return app;
    }
}
