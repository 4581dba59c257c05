namespace VideoTracker.App.Api;

public static class PluginsEndpoints
{
    public static IEndpointRouteBuilder MapPluginsApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1/plugins").WithTags("Plugins");
        v1.MapGet("/", ListPlugins).WithName("ListPlugins").WithSummary("Plugins, their tools and inputs, and the devices of this server");
        v1.MapGet("/{pluginId}/manifest", GetManifest).WithName("GetPluginManifest").WithSummary("A plugin's tools, their input types and options")
            .ProducesErrors(StatusCodes.Status404NotFound);
        return app;
    }

    internal static PluginsDto ListPlugins(PluginRegistry registry, DeviceCatalog devices) =>
        new([.. registry.Plugins.Select(PluginDto.From)], devices.Devices);

    internal static Results<Ok<PluginManifestDto>, ProblemHttpResult> GetManifest(string pluginId, PluginRegistry registry) =>
        registry.FindPlugin(pluginId) is { } plugin
            ? TypedResults.Ok(PluginManifestDto.From(plugin))
            : ApiErrors.UnknownPlugin(pluginId, registry.Plugins.Select(p => p.Id));
}
