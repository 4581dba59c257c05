namespace VideoTracker.App;

internal static class HostingDefaults
{
    /// <summary>
    /// A published app (a folder, or a single file that extracts itself) keeps wwwroot and appsettings.json
    /// beside its assemblies: make that the content root, so it runs from any working folder. A build run
    /// with <c>dotnet run</c> keeps the default content root.
    /// </summary>
    public static WebApplicationOptions Options(string[] args)
    {
        var published = Directory.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        return new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = published ? AppContext.BaseDirectory : null,
        };
    }

    /// <summary>
    /// A build run (<c>dotnet run</c>, and the tests) would add the static assets' development fallback, a GET-only
    /// route for every address that serves files added to wwwroot after the build. Every other method at an unknown
    /// address then matched it and answered 405 instead of 404. The app's assets are all in the build's manifest, as
    /// in a published app, which has no such fallback: switch it off, so both answer alike.
    /// </summary>
    public static void WithoutStaticAssetFallback(this WebApplicationBuilder builder) =>
        builder.Configuration.AddInMemoryCollection([new("DisableStaticAssetNotFoundRuntimeFallback", "true")]);
}
