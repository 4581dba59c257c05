using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using VideoTracker.Core.Data;

namespace VideoTracker.App.Accounts;

/// <summary>A user as the API and the admin pages show them.</summary>
public sealed record UserInfo(string Username, string? Role, bool Disabled, DateTime CreatedAt, bool LockedOut);

/// <summary>What a change to the users came to: done, or why not (each maps to one HTTP status).</summary>
public abstract record AccountResult
{
    public sealed record Done(UserInfo User) : AccountResult;

    public sealed record Invalid(string Detail) : AccountResult;

    /// <summary>The change conflicts with what is there: a taken name, or the last enabled admin.</summary>
    public sealed record Conflict(string Detail) : AccountResult;

    public sealed record NotFound(string Detail) : AccountResult;
}

/// <summary>
/// Users, roles, passwords and sign-in, shared by <c>/v1/auth</c>, <c>/v1/users</c>, the pages and the proxy
/// handler. Every change is written to the audit trail, without secrets.
/// </summary>
public sealed class AccountService(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    RoleManager<IdentityRole> roles,
    AuditLog audit,
    SessionStore sessions,
    VideoTrackerDbContext db,
    TimeProvider time)
{
    /// <summary>Checks the password (with lockout) and sets the auth cookie; records the attempt.</summary>
    public async Task<AccountResult> SignInAsync(string? username, string? password, string? address, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password))
        {
            return new AccountResult.Invalid("Send a username and a password.");
        }

        username = username.Trim();
        var result = await signIn.PasswordSignInAsync(username, password, isPersistent: false, lockoutOnFailure: true).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            // Only the audit trail says why: the caller hears the same for each, so that it cannot tell which names exist.
            var why = result.IsLockedOut ? "locked out" : result.IsNotAllowed ? "disabled" : "wrong username or password";
            await audit.RecordAsync(AuditActions.SignInFailed, username, address, detail: why, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new AccountResult.Invalid("Wrong username or password.");
        }

        await audit.RecordAsync(AuditActions.SignIn, username, address, cancellationToken: cancellationToken).ConfigureAwait(false);
        var user = await users.FindByNameAsync(username).ConfigureAwait(false);
        return new AccountResult.Done(await ToInfoAsync(user!).ConfigureAwait(false));
    }

    /// <summary>Ends the cookie's session, so that no copy of the cookie works any more, and deletes the cookie.</summary>
    public async Task SignOutAsync(ClaimsPrincipal principal, string? address, CancellationToken cancellationToken)
    {
        if (principal.SessionSecret() is { } session)
        {
            await sessions.EndAsync(session, cancellationToken).ConfigureAwait(false);
        }

        await signIn.SignOutAsync().ConfigureAwait(false);
        if (principal.UserName() is { } name)
        {
            await audit.RecordAsync(AuditActions.SignOut, name, address, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> AnyUserAsync(CancellationToken cancellationToken) =>
        await users.Users.AnyAsync(cancellationToken).ConfigureAwait(false);

    public async Task EnsureRolesAsync()
    {
        foreach (var role in AppRoles.All)
        {
            if (!await roles.RoleExistsAsync(role).ConfigureAwait(false))
            {
                await roles.CreateAsync(new IdentityRole(role)).ConfigureAwait(false);
            }
        }
    }

    public async Task<IReadOnlyList<UserInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await users.Users.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<UserInfo>(all.Count);
        foreach (var user in all.OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase))
        {
            list.Add(await ToInfoAsync(user).ConfigureAwait(false));
        }

        return list;
    }

    public async Task<AccountResult> CreateAsync(string? username, string? password, string? role, string? actor, string? address, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(username))
        {
            return new AccountResult.Invalid("The field 'username' is required.");
        }

        if (!AppRoles.IsKnown(role))
        {
            return new AccountResult.Invalid($"Unknown role '{role}'. Use admin, member or viewer.");
        }

        if (string.IsNullOrEmpty(password))
        {
            return new AccountResult.Invalid("The field 'password' is required.");
        }

        username = username.Trim();
        if (await users.FindByNameAsync(username).ConfigureAwait(false) is not null)
        {
            return new AccountResult.Conflict($"The username '{username}' is taken.");
        }

        var user = new AppUser { UserName = username, CreatedAt = time.GetUtcNow().UtcDateTime };
        var created = await users.CreateAsync(user, password).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return created.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateUserName))
                ? new AccountResult.Conflict($"The username '{username}' is taken.")
                : new AccountResult.Invalid(Describe(created));
        }

        await users.AddToRoleAsync(user, role!).ConfigureAwait(false);
        await audit.RecordAsync(AuditActions.UserCreated, actor, address, detail: $"{username} as {role}", cancellationToken: cancellationToken).ConfigureAwait(false);
        return new AccountResult.Done(await ToInfoAsync(user).ConfigureAwait(false));
    }

    /// <summary>Changes a user's role, disabled state and/or password (an admin's reset). Each change ends the user's sessions.</summary>
    public async Task<AccountResult> ChangeAsync(string username, string? role, bool? disabled, string? password, string? actor, string? address, CancellationToken cancellationToken)
    {
        // One change at a time, even across nodes: two admins demoting each other at once would both pass the check.
        var changes = new List<string>();
        AccountResult result;
        await using (var transaction = await db.BeginExclusiveAsync(ExclusiveSection.Admins, cancellationToken).ConfigureAwait(false))
        {
            result = await ChangeExclusiveAsync(username, role, disabled, password, changes, cancellationToken).ConfigureAwait(false);
            if (result is not AccountResult.Done done)
            {
                return result;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

            // After the commit: the audit trail writes through a context of its own.
            await audit.RecordAsync(AuditActions.UserChanged, actor, address, detail: $"{done.User.Username}: {string.Join(", ", changes)}", cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>The change itself, inside <see cref="ChangeAsync"/>'s exclusive transaction; <paramref name="changes"/> gets what was done.</summary>
    private async Task<AccountResult> ChangeExclusiveAsync(string username, string? role, bool? disabled, string? password, List<string> changes, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(username).ConfigureAwait(false);
        if (user is null)
        {
            return new AccountResult.NotFound($"No user named '{username}'.");
        }

        if (role is not null && !AppRoles.IsKnown(role))
        {
            return new AccountResult.Invalid($"Unknown role '{role}'. Use admin, member or viewer.");
        }

        if (role is null && disabled is null && password is null)
        {
            return new AccountResult.Invalid("Send 'role', 'disabled' and/or 'password'.");
        }

        // Without an enabled admin, nobody could manage users again (short of the service key or the database).
        if (((role is not null && role != AppRoles.Admin) || disabled == true) && await IsLastEnabledAdminAsync(user).ConfigureAwait(false))
        {
            return new AccountResult.Conflict($"'{user.UserName}' is the last enabled admin: make another user an admin first.");
        }

        if (password is not null)
        {
            var validation = await ValidatePasswordAsync(user, password).ConfigureAwait(false);
            if (validation is not null)
            {
                return new AccountResult.Invalid(validation);
            }

            await users.RemovePasswordAsync(user).ConfigureAwait(false);
            var added = await users.AddPasswordAsync(user, password).ConfigureAwait(false);
            if (!added.Succeeded)
            {
                return new AccountResult.Invalid(Describe(added));
            }

            await users.SetLockoutEndDateAsync(user, null).ConfigureAwait(false);
            await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false);
            changes.Add("password reset");
        }

        if (role is not null)
        {
            var current = await users.GetRolesAsync(user).ConfigureAwait(false);
            await users.RemoveFromRolesAsync(user, current).ConfigureAwait(false);
            await users.AddToRoleAsync(user, role).ConfigureAwait(false);
            changes.Add($"role {role}");
        }

        if (disabled is { } d)
        {
            user.Disabled = d;
            await users.UpdateAsync(user).ConfigureAwait(false);
            changes.Add(d ? "disabled" : "enabled");
        }

        // A new stamp ends every cookie session of the user on its next request; their rows go with it.
        await users.UpdateSecurityStampAsync(user).ConfigureAwait(false);
        await SessionStore.EndAllAsync(db, user.Id, cancellationToken).ConfigureAwait(false);
        return new AccountResult.Done(await ToInfoAsync(user).ConfigureAwait(false));
    }

    /// <summary>The signed-in user changes their own password, which ends their other sessions; this one gets a fresh cookie.</summary>
    public async Task<AccountResult> ChangeOwnPasswordAsync(ClaimsPrincipal principal, string? current, string? next, string? address, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(principal).ConfigureAwait(false);
        if (user is null)
        {
            return new AccountResult.NotFound("Only a signed-in user has a password to change.");
        }

        var changed = await users.ChangePasswordAsync(user, current ?? string.Empty, next ?? string.Empty).ConfigureAwait(false);
        if (!changed.Succeeded)
        {
            return new AccountResult.Invalid(Describe(changed));
        }

        var ended = await sessions.EndOthersAsync(user.Id, principal.SessionSecret(), cancellationToken).ConfigureAwait(false);
        await signIn.RefreshSignInAsync(user).ConfigureAwait(false);
        await audit.RecordAsync(AuditActions.PasswordChanged, user.UserName, address, detail: $"other sessions ended: {ended}", cancellationToken: cancellationToken).ConfigureAwait(false);
        return new AccountResult.Done(await ToInfoAsync(user).ConfigureAwait(false));
    }

    /// <summary>A user first seen through a trusted proxy: no password, the configured role.</summary>
    public async Task<AppUser?> CreateProxyUserAsync(string username, string role, string? address, CancellationToken cancellationToken)
    {
        var user = new AppUser { UserName = username, CreatedAt = time.GetUtcNow().UtcDateTime };
        var created = await users.CreateAsync(user).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return await users.FindByNameAsync(username).ConfigureAwait(false);
        }

        await users.AddToRoleAsync(user, role).ConfigureAwait(false);
        await audit.RecordAsync(AuditActions.UserCreated, username, address, detail: $"{username} as {role}, through the proxy header", cancellationToken: cancellationToken).ConfigureAwait(false);
        return user;
    }

    private async Task<bool> IsLastEnabledAdminAsync(AppUser user) =>
        !user.Disabled
        && await users.IsInRoleAsync(user, AppRoles.Admin).ConfigureAwait(false)
        && !(await users.GetUsersInRoleAsync(AppRoles.Admin).ConfigureAwait(false)).Any(admin => admin.Id != user.Id && !admin.Disabled);

    private async Task<string?> ValidatePasswordAsync(AppUser user, string password)
    {
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return Describe(result);
            }
        }

        return null;
    }

    private async Task<UserInfo> ToInfoAsync(AppUser user)
    {
        var role = AppRoles.All.Intersect(await users.GetRolesAsync(user).ConfigureAwait(false)).FirstOrDefault();
        return new UserInfo(user.UserName!, role, user.Disabled, user.CreatedAt, await users.IsLockedOutAsync(user).ConfigureAwait(false));
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
