using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoTracker.App.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>The REST surface: snake_case JSON, ProblemDetails errors and the OpenAPI document.</summary>
    public static IHostApplicationBuilder AddVideoTrackerApi(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>Unhandled errors and bare status codes under /v1 answer as ProblemDetails JSON.</summary>
    public static WebApplication UseVideoTrackerApiErrors(this WebApplication app)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/v1"),
            api => api.UseStatusCodePages());
        return app;
    }
}
