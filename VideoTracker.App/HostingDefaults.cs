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
}
