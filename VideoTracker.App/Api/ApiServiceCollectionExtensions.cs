using System.Text.Json.Serialization;

namespace VideoTracker.App.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>The REST surface: snake_case JSON, ProblemDetails errors (as plain JSON unless asked for problem+json) and the OpenAPI document.</summary>
    public static IHostApplicationBuilder AddVideoTrackerApi(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        // Registered before AddProblemDetails so that it is the writer chosen for every error.
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ResourceExceptionHandler>();   // a full disk is 507, a database that is away 503, not 500
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>(); // a body or query value that does not bind: 400 saying why
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi(ApiDocumentation.Configure);   // errors, uploads, downloads and numbers as the endpoints really answer
        return builder;
    }

    /// <summary>Unhandled errors and bare status codes under /v1 answer as ProblemDetails JSON.</summary>
    public static WebApplication UseVideoTrackerApiErrors(this WebApplication app)
    {
        app.UseWhen(
            context => ApiPath.Covers(context.Request),
            api => api.UseStatusCodePages());
        return app;
    }
}
