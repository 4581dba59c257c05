namespace VideoTracker.App.Accounts;

/// <summary>Scheme and policy names, and what a request's user is.</summary>
public static class AuthNames
{
    /// <summary>The default scheme: picks the API key, the proxy header or the cookie for each request.</summary>
    public const string Selector = "VideoTracker";
    public const string ApiKeyScheme = "ApiKey";
    public const string ProxyScheme = "ProxyHeader";
    public const string OpenScheme = "AuthOff";

    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>Marks the <c>Security:ApiKey</c> service principal (admin, no user).</summary>
    public const string ServiceClaim = "vt:service";

    /// <summary>The cookie's session secret (see <see cref="SessionStore"/>); the cookie is encrypted, the database keeps only its hash.</summary>
    public const string SessionClaim = "vt:session";

    /// <summary>Policies, named like the least role that passes.</summary>
    public const string ViewerPolicy = AppRoles.Viewer;
    public const string MemberPolicy = AppRoles.Member;
    public const string AdminPolicy = AppRoles.Admin;

    /// <summary>The username, or null for the service key and with authentication off.</summary>
    public static string? UserName(this ClaimsPrincipal user) =>
        user.HasClaim(c => c.Type == ServiceClaim) ? null : user.Identity?.Name;

    public static string? UserId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>The secret of the cookie session the principal came with, or null (a key, the proxy header, a cookie from before sessions).</summary>
    public static string? SessionSecret(this ClaimsPrincipal user) => user.FindFirstValue(SessionClaim);

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AppRoles.Admin);

    /// <summary>The highest role the user holds.</summary>
    public static string? Role(this ClaimsPrincipal user) => AppRoles.All.FirstOrDefault(user.IsInRole);

    public static string? ClientAddress(this HttpContext context) => context.Connection.RemoteIpAddress is { } a
        ? (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToString()
        : null;
}
