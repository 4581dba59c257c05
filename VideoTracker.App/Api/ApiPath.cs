namespace VideoTracker.App.Api;

/// <summary>The one prefix under which the JSON API answers: <c>/v1</c>.</summary>
internal static class ApiPath
{
    public const string Prefix = "/v1";

    /// <summary>Whether <paramref name="request"/> is addressed to the API (its errors are JSON, never a page).</summary>
    public static bool Covers(HttpRequest request) => request.Path.StartsWithSegments(Prefix);
}
