using Microsoft.AspNetCore.Components.Authorization;

namespace VideoTracker.App.Components.Services;

public static class UiServiceCollectionExtensions
{
    /// <summary>
    /// The web UI: the scoped job service each circuit uses, and the circuit's authentication state, checked
    /// against the database every minute (after the Razor components' own registration, which it replaces).
    /// </summary>
    public static IServiceCollection AddVideoTrackerUi(this IServiceCollection services)
    {
        services.AddScoped<IJobService, JobService>();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationStateProvider>();
        return services;
    }
}
