using Microsoft.AspNetCore.Identity;
using VideoTracker.App.Api;

namespace VideoTracker.App.Accounts;

/// <summary>
/// Refuses (403) a state-changing <c>/v1</c> request that a browser sent from another origin with the sign-in cookie:
/// cross-site request forgery. The cookie's <c>SameSite=Lax</c> stops other sites, but not another port of the same
/// host or a sibling subdomain. Only the cookie is checked, because a browser never adds an API key or the proxy
/// header by itself. The pages' form posts and <c>/ui</c> carry an antiforgery token instead.
/// </summary>
internal static class CrossSiteCookieGuard
{
    public const string Detail =
        "This request came from another origin with the sign-in cookie, so it was refused. A script on another site sends an API key (X-Api-Key) instead.";

    public static IApplicationBuilder UseCrossSiteCookieGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (IsForged(context))
        {
            await ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden, Detail).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    });

    /// <summary>True for the methods the guard judges: every one that may change something.</summary>
    public static bool Guards(string method) => !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    /// <summary>
    /// A browser says where a request came from in <c>Sec-Fetch-Site</c> (every current one), else in <c>Origin</c>.
    /// A client that sends neither is not a browser acting for a page, and passes.
    /// </summary>
    private static bool IsForged(HttpContext context)
    {
        var request = context.Request;
        if (!Guards(request.Method) || !ApiPath.Covers(request)
            || context.User.Identity is not { IsAuthenticated: true, AuthenticationType: var type } || type != IdentityConstants.ApplicationScheme)
        {
            return false;
        }

        if (request.Headers["Sec-Fetch-Site"] is [{ } site])
        {
            return site is not ("same-origin" or "none");
        }

        return request.Headers.Origin is [{ } origin]
            && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}
