using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace VideoTracker.App.Accounts;

/// <summary>With <c>Auth:Enabled=false</c>: every request acts as an anonymous admin, as before accounts existed.</summary>
public sealed class OpenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var identity = new ClaimsIdentity(
            [new Claim(AuthNames.ServiceClaim, "true"), new Claim(ClaimTypes.Role, AppRoles.Admin)], Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}
