using Microsoft.AspNetCore.Identity;

namespace VideoTracker.App.Accounts;

/// <summary>
/// Identity's user manager, with lockouts on the app's clock: Identity's own stamps a lockout's end and judges it by the
/// machine's clock, so with PostgreSQL a lockout set by a node whose clock is behind was already over on the others, and
/// the password could be tried again there at once. The app's clock is the database server's there (see
/// <c>DatabaseClock</c>), the same on every node.
/// </summary>
public sealed class AppUserManager(
    IUserStore<AppUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<AppUser> passwordHasher,
    IEnumerable<IUserValidator<AppUser>> userValidators,
    IEnumerable<IPasswordValidator<AppUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<AppUser>> logger,
    TimeProvider time)
    : UserManager<AppUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    private IUserLockoutStore<AppUser> LockoutStore => Store as IUserLockoutStore<AppUser>
        ?? throw new NotSupportedException("The user store does not keep lockouts.");

    /// <summary>As Identity's: a locked-out user is one whose lockout ends after now, by the app's clock.</summary>
    public override async Task<bool> IsLockedOutAsync(AppUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return await LockoutStore.GetLockoutEnabledAsync(user, CancellationToken).ConfigureAwait(false)
            && await LockoutStore.GetLockoutEndDateAsync(user, CancellationToken).ConfigureAwait(false) >= time.GetUtcNow();
    }

    /// <summary>As Identity's: the failure that reaches <c>MaxFailedAccessAttempts</c> locks the user out from now, by the app's clock.</summary>
    public override async Task<IdentityResult> AccessFailedAsync(AppUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var count = await LockoutStore.IncrementAccessFailedCountAsync(user, CancellationToken).ConfigureAwait(false);
        if (count >= Options.Lockout.MaxFailedAccessAttempts)
        {
            await LockoutStore.SetLockoutEndDateAsync(user, time.GetUtcNow() + Options.Lockout.DefaultLockoutTimeSpan, CancellationToken).ConfigureAwait(false);
            await LockoutStore.ResetAccessFailedCountAsync(user, CancellationToken).ConfigureAwait(false);
        }

        return await UpdateUserAsync(user).ConfigureAwait(false);
    }
}
