using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using VideoTracker.App.Api;

namespace VideoTracker.App.Components.Services;

public static class UiServiceCollectionExtensions
{
    /// <summary>
    /// The web UI: the scoped job service each circuit uses, the circuit's authentication state, checked against the
    /// database every minute (after the Razor components' own registration, which it replaces), and whether its browser
    /// is connected.
    /// </summary>
    public static IServiceCollection AddVideoTrackerUi(this IServiceCollection services)
    {
        services.AddScoped<IJobService, JobService>();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationStateProvider>();
        services.AddScoped<CircuitConnection>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(s => s.GetRequiredService<CircuitConnection>());
        return services;
    }

    /// <summary>
    /// A browser's GET of a page at an address that matches no endpoint answers 404 with the app's "Page not found" page,
    /// in its layout, instead of an empty body. A request that matches an endpoint keeps its own answer: /v1 its JSON errors
    /// (UseVideoTrackerApiErrors, which must come after this), a page the content it renders with its own 404.
    /// </summary>
    public static WebApplication UseVideoTrackerNotFoundPage(this WebApplication app)
    {
        app.UseStatusCodePagesWithReExecute(Pages.NotFoundPage.Path, createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            // Only a browser asking for a page (not a script, an image or an API client) that matched nothing gets the page.
            // The others keep their own answers; a page that matched is left as it renders without status code pages.
            var request = context.Request;
            var unmatchedPageRequest = context.GetEndpoint() is null && !ApiPath.Covers(request)
                && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
            if (!unmatchedPageRequest && context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
                context.Features.Set<IStatusCodePagesFeature>(null);
            }

            return next(context);
        });
        return app;
    }
}
