using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace VideoTracker.App.Accounts;

/// <summary>
/// Signs in the user named by <c>Auth:ProxyHeader</c> (Authelia, Authentik, oauth2-proxy), but only on a
/// connection from <c>Auth:TrustedProxies</c>. A user seen for the first time gets <c>Auth:ProxyDefaultRole</c>.
/// </summary>
public sealed class ProxyHeaderAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth,
    TrustedNetworks trusted,
    AccountService accounts,
    UserManager<AppUser> users,
    IUserClaimsPrincipalFactory<AppUser> principals) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The proxy's user name when the header is configured, present, and comes from a trusted proxy.</summary>
    public static string? TrustedUserName(HttpContext context, AuthOptions auth, TrustedNetworks trusted) =>
        auth.ProxyHeader is { Length: > 0 } header
        && context.Request.Headers[header].ToString() is { Length: > 0 } name
        && trusted.Contains(context.PeerAddress())
            ? name.Trim()
            : null;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (TrustedUserName(Context, auth.Value, trusted) is not { } name)
        {
            return AuthenticateResult.NoResult();
        }

        var user = await users.FindByNameAsync(name).ConfigureAwait(false)
            ?? await accounts.CreateProxyUserAsync(name, auth.Value.ProxyDefaultRole, Context.ClientAddress(), Context.RequestAborted).ConfigureAwait(false);
        if (user is null || user.Disabled)
        {
            return AuthenticateResult.Fail("This user is disabled or cannot be created.");
        }

        var principal = await principals.CreateAsync(user).ConfigureAwait(false);
        return AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity(principal.Claims, Scheme.Name, ClaimTypes.Name, ClaimTypes.Role)), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "The user named by the proxy is disabled or cannot be created.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, ApiProblems.ForbiddenDetail);
}
