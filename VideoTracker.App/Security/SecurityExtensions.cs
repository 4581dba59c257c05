namespace VideoTracker.App.Security;

public static class SecurityExtensions
{
    public static IHostApplicationBuilder AddVideoTrackerSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section);
        return builder;
    }

    /// <summary>Security headers on every response.</summary>
    public static WebApplication UseVideoTrackerSecurity(this WebApplication app)
    {
        app.UseSecurityHeaders();
        return app;
    }
}
