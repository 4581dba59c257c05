namespace VideoTracker.App.Security;

public static class SecurityExtensions
{
    public static IHostApplicationBuilder AddVideoTrackerSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section);
        return builder;
    }

    /// <summary>Security headers everywhere; the API key on /v1; the UI session cookie on pages.</summary>
    public static WebApplication UseVideoTrackerSecurity(this WebApplication app)
    {
        app.UseSecurityHeaders();
        var apiKey = ActivatorUtilities.CreateInstance<ApiKeyMiddleware>(app.Services, (RequestDelegate)(_ => Task.CompletedTask));
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/v1"),
            api => api.UseMiddleware<ApiKeyMiddleware>());
        if (apiKey.Enabled)
        {
            app.UseWhen(
                context => HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/v1"),
                pages => pages.Use((context, next) =>
                {
                    apiKey.IssueUiSession(context);
                    return next(context);
                }));
        }

        return app;
    }
}
