namespace VideoTracker.App.Hosting;

/// <summary>
/// <c>Server:PathBase</c>: the app answers under that path (and still at the root, for probes that reach it directly),
/// and every address it gives out, in its pages, scripts, redirects and API answers, starts with it.
/// </summary>
public static class PathBaseExtensions
{
    public static IHostApplicationBuilder AddVideoTrackerPathBase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section)
            .Validate(o => ServerOptions.IsValidPathBase(o.PathBase),
                "Server:PathBase is not a path such as /videotracker: it starts with /, has no trailing /, and only letters, digits, -, ., _ and ~ between the slashes.")
            .ValidateOnStart();
        return builder;
    }

    /// <summary>
    /// Moves the configured path from the request's path to its <c>PathBase</c>, then routes: WebApplication would
    /// otherwise route first, on the path with the prefix still in it.
    /// </summary>
    public static WebApplication UseVideoTrackerPathBase(this WebApplication app)
    {
        var pathBase = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.PathBase;
        if (pathBase.Length > 0)
        {
            app.UsePathBase(pathBase);
        }

        app.UseRouting();
        return app;
    }
}
