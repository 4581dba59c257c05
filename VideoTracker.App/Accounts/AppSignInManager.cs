using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace VideoTracker.App.Accounts;

/// <summary>Identity's sign-in manager, which also refuses disabled users, at sign-in and on every cookie check.</summary>
public sealed class AppSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user) =>
        !user.Disabled && await base.CanSignInAsync(user).ConfigureAwait(false);

    public override async Task<AppUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal) =>
        await base.ValidateSecurityStampAsync(principal).ConfigureAwait(false) is { Disabled: false } user ? user : null;

    /// <summary>
    /// The cookie's check on every request: the user still exists, is enabled and has the stamp the cookie was
    /// issued with. Unlike Identity's <see cref="SecurityStampValidator"/> with a zero interval, a passing check does
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
