namespace VideoTracker.App.Hosting;

/// <summary>
/// A redirect to this app's own origin is sent as a path from the host (<c>/login?returnUrl=…</c>), which the browser
/// resolves against the address it asked for. The sign-in challenge and a page's server-side navigation make absolute
/// URLs from the request's <c>Host</c>, and a reverse proxy that sends a host without the browser's port (nginx's
/// <c>proxy_set_header Host $host</c> on a port other than 443) would otherwise send the browser to the wrong port.
/// </summary>
public static class RelativeRedirects
{
    /// <summary>Blazor's redirect of an enhanced (fetched) navigation or form post, which its script follows.</summary>
    private const string EnhancedNavigationLocation = "blazor-enhanced-nav-redirect-location";

    public static IApplicationBuilder UseRelativeRedirects(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                foreach (var name in (ReadOnlySpan<string>)[Microsoft.Net.Http.Headers.HeaderNames.Location, EnhancedNavigationLocation])
                {
                    if (headers.TryGetValue(name, out var location) && location.Count == 1)
                    {
                        headers[name] = Relative(context.Request, location.ToString());
                    }
                }

                return Task.CompletedTask;
            });
            return next(context);
        });

    /// <summary>
    /// An absolute URL of the request's own scheme and host as its path, query and fragment; anything else as it is. A
    /// path that begins <c>//</c> (<c>/.//evil.example</c> resolved) stays absolute: as a path it would name another host.
    /// </summary>
    public static string Relative(HttpRequest request, string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && Uri.TryCreate($"{request.Scheme}://{request.Host}", UriKind.Absolute, out var own)   // no Host (HTTP/1.0): nothing is its own
        && string.Equals(uri.Authority, own.Authority, StringComparison.OrdinalIgnoreCase)
        && uri.GetComponents(UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped) is var path
        && !path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("/\\", StringComparison.Ordinal)
            ? path
            : location;
}
