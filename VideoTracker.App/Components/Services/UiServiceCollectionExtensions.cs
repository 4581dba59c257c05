namespace VideoTracker.App.Components.Services;

public static class UiServiceCollectionExtensions
{
    /// <summary>The web UI: Razor components, MudBlazor and the scoped job service each circuit uses.</summary>
    public static IServiceCollection AddVideoTrackerUi(this IServiceCollection services)
    {
        services.AddScoped<IJobService, JobService>();
        return services;
    }
}
