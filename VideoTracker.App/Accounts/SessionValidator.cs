using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace VideoTracker.App.Accounts;

/// <summary>
/// Checks a principal issued earlier (a page's circuit keeps the one it connected with) against the database
/// now: the cookie's own check (<see cref="AppSignInManager.ValidateSecurityStampAsync(ClaimsPrincipal?)"/>: the
/// user exists, is enabled and has the same security stamp, and the cookie's session has not ended), without a request to carry it.
/// </summary>
public sealed class SessionValidator(IServiceScopeFactory scopes)
{
    public const string EndedDetail = "Your account was changed or disabled, or this session was signed out: sign in again.";

    /// <summary>
    /// The user as the database has them now (their current role), or null when the session has ended: the user is
    /// gone, disabled, or changed since <paramref name="principal"/> was issued (every change renews the stamp), or the
    /// session was signed out.
    /// The service key and <c>Auth:Enabled=false</c> act for no user, so there is nothing to check.
    /// </summary>
    public async Task<ClaimsPrincipal?> CurrentAsync(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.HasClaim(c => c.Type == AuthNames.ServiceClaim))
        {
            return principal;
        }

        if (principal.Identity is not { IsAuthenticated: true } identity)
        {
            return null;
        }

        // A scope of its own: the circuit's scope lives as long as the page, and its context would answer with the user it read first.
        await using var scope = scopes.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
        if (await signIn.ValidateSecurityStampAsync(principal).ConfigureAwait(false) is not { } user)
        {
            return null;
        }

        // The user as they are now, in the same session as before.
        var current = await signIn.ClaimsFactory.CreateAsync(user).ConfigureAwait(false);
        return new ClaimsPrincipal(new ClaimsIdentity(
            current.Claims.Concat(principal.FindAll(AuthNames.SessionClaim)), identity.AuthenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>
    /// The user of a page's circuit as the database has them now, for every action that changes data: a page stays open
    /// after its user is disabled or demoted, and until then its circuit's user is the one it connected with. Refused
    /// (<see cref="UnauthorizedAccessException"/> with <see cref="EndedDetail"/>) when the session has ended, as the next
    /// request with the user's cookie would be.
    /// </summary>
    public async Task<ClaimsPrincipal> ActingUserAsync(AuthenticationStateProvider circuit)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        return await CurrentAsync((await circuit.GetAuthenticationStateAsync().ConfigureAwait(false)).User).ConfigureAwait(false)
            ?? throw new UnauthorizedAccessException(EndedDetail);
    }
}
