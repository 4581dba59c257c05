using VideoTracker.Core.Plugins;

namespace VideoTracker.App.Api;

public static class PluginsEndpoints
{
    public static IEndpointRouteBuilder MapPluginsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/plugins").WithTags("Plugins")
            .MapGet("/", ListPlugins).WithName("ListPlugins").WithSummary("Plugins, their tools and inputs, and the devices of this server");
        return app;
    }

    internal static PluginsDto ListPlugins(PluginRegistry registry, DeviceCatalog devices) =>
        new([.. registry.Plugins.Select(PluginDto.From)], devices.Devices);
}
