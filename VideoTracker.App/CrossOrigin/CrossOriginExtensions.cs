using VideoTracker.App.Api;
namespace VideoTracker.App.CrossOrigin;

public static class CrossOriginExtensions
{
    /// <summary>Request headers a cross-origin client may send: the API key, a bearer token and a JSON body's type.</summary>
    public static readonly string[] AllowedHeaders = ["X-API-Key", "Authorization", "Content-Type"];

    /// <summary>Response headers a cross-origin client may read besides the safe ones.</summary>
    public static readonly string[] ExposedHeaders = ["Location", "Retry-After", "Content-Disposition"];

    public static IHostApplicationBuilder AddVideoTrackerCrossOrigin(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CrossOriginOptions>().BindConfiguration(CrossOriginOptions.Section)
            .Validate(o => o.AllowedOrigins.All(CrossOriginOptions.IsValidOrigin),
                "Cors:AllowedOrigins holds an entry that is not an origin: use scheme://host[:port] (no path), or *.")
            .ValidateOnStart();
        builder.Services.AddCors();
        return builder;
    }

    /// <summary>
    /// CORS on /v1 with ASP.NET Core's middleware. It must come before any authentication: it answers a
    /// preflight <c>OPTIONS</c> itself (204, with the Access-Control-Allow-* headers only for an allowed
    /// origin), so a preflight, which never carries the key, is never refused with a 401.
    /// </summary>
    public static WebApplication UseVideoTrackerCrossOrigin(this WebApplication app)
    {
        var origins = app.Services.GetRequiredService<IOptions<CrossOriginOptions>>().Value.AllowedOrigins;
        app.UseWhen(
            context => ApiPath.Covers(context.Request),
            api => api.UseCors(policy =>
            {
                if (origins.Contains("*"))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins([.. origins.Select(o => o.TrimEnd('/'))]);
                }

                policy.WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Delete)
                    .WithHeaders(AllowedHeaders)
                    .WithExposedHeaders(ExposedHeaders)
                    .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            }));
        return app;
    }
}
