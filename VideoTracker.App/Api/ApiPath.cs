using Microsoft.AspNetCore.Routing.Patterns;

namespace VideoTracker.App.Api;

/// <summary>The one prefix under which the JSON API answers: <c>/v1</c>.</summary>
internal static class ApiPath
{
    public const string Prefix = "/v1";

    /// <summary>Whether <paramref name="request"/> is addressed to the API (its errors are JSON, never a page).</summary>
    public static bool Covers(HttpRequest request) => request.Path.StartsWithSegments(Prefix);

    /// <summary>Whether a route's pattern (<c>/v1/jobs/{jobId}</c>) is the API's.</summary>
    public static bool Covers(RoutePattern pattern) =>
        pattern.RawText is { } text && new PathString("/" + text.TrimStart('/')).StartsWithSegments(Prefix);
}
