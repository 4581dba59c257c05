using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace VideoTracker.App.Accounts;

/// <summary>
/// Identity's sign-in manager, which also refuses disabled users, at sign-in and on every cookie check, and ties each
/// cookie to a server-side session (<see cref="SessionStore"/>): every cookie sign-in records one, and a cookie whose
/// session has ended is refused.
/// </summary>
public sealed class AppSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation,
    SessionStore sessions,
    DecoyPassword decoy)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>While a cookie is re-issued for its own user (a changed password), the session it keeps.</summary>
    private string? _keptSession;

    public override async Task<bool> CanSignInAsync(AppUser user) =>
        !user.Disabled && await base.CanSignInAsync(user).ConfigureAwait(false);

    /// <summary>An unknown name costs a password check too (<see cref="DecoyPassword"/>), as a known one does.</summary>
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        if (await UserManager.FindByNameAsync(userName).ConfigureAwait(false) is { } user)
        {
            return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure).ConfigureAwait(false);
        }

        decoy.Check(UserManager.PasswordHasher, password);
        return SignInResult.Failed;
    }

    /// <summary>
    /// Identity refuses a locked-out or disabled user, and one without a password (the proxy header's), before it checks
    /// any password: those cost a check of the decoy instead, so that a refusal takes as long as a wrong password.
    /// </summary>
    public override async Task<SignInResult> CheckPasswordSignInAsync(AppUser user, string password, bool lockoutOnFailure)
    {
        if (user.PasswordHash is null || await PreSignInCheck(user).ConfigureAwait(false) is not null)
        {
            decoy.Check(UserManager.PasswordHasher, password);
        }

        return await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure).ConfigureAwait(false);
    }

    /// <summary>Every cookie sign-in (the sign-in page, <c>/v1/auth/login</c>, the first admin's setup) starts a session; a refresh keeps its own.</summary>
    public override async Task SignInWithClaimsAsync(AppUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var secret = _keptSession ?? await sessions.CreateAsync(
            user.Id, Context.ClientAddress(), Context.Request.Headers.UserAgent.ToString(), Context.RequestAborted).ConfigureAwait(false);
        await base.SignInWithClaimsAsync(user, authenticationProperties, [.. additionalClaims, new Claim(AuthNames.SessionClaim, secret)]).ConfigureAwait(false);
    }

    public override async Task RefreshSignInAsync(AppUser user)
    {
        _keptSession = (await Context.AuthenticateAsync(AuthenticationScheme).ConfigureAwait(false)).Principal?.SessionSecret();
        try
        {
            await base.RefreshSignInAsync(user).ConfigureAwait(false);
        }
        finally
        {
            _keptSession = null;
        }
    }

    /// <summary>
    /// The user behind a principal, when they exist, are enabled and have the stamp it was issued with; for a cookie,
    /// also while its session lasts (one lookup finds both). A cookie from before sessions has none and counts as signed
    /// out. A key's or the proxy header's principal has no cookie to end: those are checked on each request.
    /// </summary>
    public override async Task<AppUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.AuthenticationType is AuthNames.ApiKeyScheme or AuthNames.ProxyScheme)
        {
            return await base.ValidateSecurityStampAsync(principal).ConfigureAwait(false) is { Disabled: false } user ? user : null;
        }

        var session = principal?.SessionSecret() is { } secret && UserManager.GetUserId(principal) is { } userId
            ? await sessions.UserOfAsync(secret, userId, CancellationToken.None).ConfigureAwait(false)   // a page's circuit has no request
            : null;
        return session is { Disabled: false }
            && await ValidateSecurityStampAsync(session, principal!.FindFirstValue(Options.ClaimsIdentity.SecurityStampClaimType)).ConfigureAwait(false)
            ? session
            : null;
    }

    /// <summary>
    /// The cookie's check on every request: the user still exists, is enabled and has the stamp the cookie was
    /// issued with, and the cookie's session has not ended. Unlike Identity's <see cref="SecurityStampValidator"/> with a zero interval, a passing check does
    /// not re-issue the cookie: a re-issued cookie on a response still in flight at sign-out (a video range request,
    /// say) would land after the sign-out's deletion and sign the browser back in.
    /// </summary>
    public static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInManager<AppUser>>();
        if (await signIn.ValidateSecurityStampAsync(context.Principal).ConfigureAwait(false) is null)
        {
            context.RejectPrincipal();
            await signIn.SignOutAsync().ConfigureAwait(false);
        }
    }
}
