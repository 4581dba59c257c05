using Microsoft.AspNetCore.Identity;

namespace VideoTracker.App.Accounts;

/// <summary>
/// Cookie sessions, as <c>/v1/auth/sessions</c> and the Account page list and end a user's own, and as
/// <c>/v1/users/{username}/sessions</c> and the Users page let an admin list and end another user's (a suspected stolen
/// cookie). Each ending, and an admin's look at another user's, is written to the audit trail; a session's secret and hash are never shown.
/// </summary>
public sealed class AccountSessions(SessionStore sessions, AuditLog audit, IServiceScopeFactory scopes)
{
    /// <summary>The caller's live sessions, theirs marked; none for the service key.</summary>
    public async Task<IReadOnlyList<SessionInfo>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        user.UserId() is { } userId ? await sessions.ListAsync(userId, user.SessionSecret(), cancellationToken).ConfigureAwait(false) : [];

    /// <summary>
    /// Ends one of the caller's own sessions: <see cref="SessionEnd.NotFound"/> when they have none with that id, and
    /// <see cref="SessionEnd.ThisOne"/> when it is the session they call from, whose cookie the caller then deletes.
    /// </summary>
    public async Task<SessionEnd> EndAsync(ClaimsPrincipal user, Guid id, string? address, CancellationToken cancellationToken) =>
        user.UserId() is { } userId
            ? await EndAsync(user, userId, id, AuditActions.SessionEnded, $"session {id}", address, cancellationToken).ConfigureAwait(false)
            : SessionEnd.NotFound;

    /// <summary>Ends every session of the caller but the one they call from; how many, or null for the service key, which has none.</summary>
    public async Task<int?> EndOthersAsync(ClaimsPrincipal user, string? address, CancellationToken cancellationToken)
    {
        if (user.UserId() is not { } userId)
        {
            return null;
        }

        var ended = await sessions.EndOthersAsync(userId, user.SessionSecret(), cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(AuditActions.OtherSessionsEnded, user.UserName(), address, detail: $"{ended} other sessions", cancellationToken: cancellationToken).ConfigureAwait(false);
        return ended;
    }

    /// <summary>
    /// An admin's view of <paramref name="username"/>'s live sessions (the admin's own one marked when they look at
    /// themselves); null when there is no such user. Looking at another user's is written to the audit trail, one's own
    /// is not, and neither is a list that is only read again (<paramref name="audited"/> false: the Users page's panel
    /// after its first look, or after ending a session). Refused (<see cref="UnauthorizedAccessException"/>) for anyone else.
    /// </summary>
    public async Task<IReadOnlyList<SessionInfo>?> ListOfUserAsync(
        ClaimsPrincipal admin, string username, string? address, CancellationToken cancellationToken, bool audited = true)
    {
        if (await UserIdOfAsync(admin, username).ConfigureAwait(false) is not { } target)
        {
            return null;
        }

        var listed = await sessions.ListAsync(target.Id, admin.SessionSecret(), cancellationToken).ConfigureAwait(false);
        if (audited && !string.Equals(admin.UserId(), target.Id, StringComparison.Ordinal))
        {
            await audit.RecordAsync(AuditActions.UserSessionsListed, admin.UserName(), address, detail: $"{target.Name}: {listed.Count} listed", cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }

        return listed;
    }

    /// <summary>
    /// An admin ends one of <paramref name="username"/>'s sessions, so every copy of its cookie stops working:
    /// <see cref="SessionEnd.UnknownUser"/> or <see cref="SessionEnd.NotFound"/> when there is no such user or session of
    /// theirs. Refused (<see cref="UnauthorizedAccessException"/>) for anyone but an admin.
    /// </summary>
    public async Task<SessionEnd> EndOfUserAsync(ClaimsPrincipal admin, string username, Guid id, string? address, CancellationToken cancellationToken) =>
        await UserIdOfAsync(admin, username).ConfigureAwait(false) is { } target
            ? await EndAsync(admin, target.Id, id, AuditActions.UserSessionEnded, $"{target.Name}: session {id}", address, cancellationToken).ConfigureAwait(false)
            : SessionEnd.UnknownUser;

    /// <summary>Ends <paramref name="userId"/>'s session <paramref name="id"/> and records it as <paramref name="caller"/>'s action.</summary>
    private async Task<SessionEnd> EndAsync(
        ClaimsPrincipal caller, string userId, Guid id, string action, string detail, string? address, CancellationToken cancellationToken)
    {
        // Only the caller's own sessions can be the one this request came with: another user's are never listed for that.
        var current = string.Equals(caller.UserId(), userId, StringComparison.Ordinal)
            && (await sessions.ListAsync(userId, caller.SessionSecret(), cancellationToken).ConfigureAwait(false)).Any(s => s.Current && s.Id == id);
        if (!await sessions.EndAsync(userId, id, cancellationToken).ConfigureAwait(false))
        {
            return SessionEnd.NotFound;
        }

        await audit.RecordAsync(action, caller.UserName(), address, detail: detail, cancellationToken: cancellationToken).ConfigureAwait(false);
        return current ? SessionEnd.ThisOne : SessionEnd.Other;
    }

    /// <summary>The id and name of the user called <paramref name="username"/> (any case), for an admin only.</summary>
    private async Task<(string Id, string Name)?> UserIdOfAsync(ClaimsPrincipal admin, string username)
    {
        if (!admin.IsAdmin())
        {
            throw new UnauthorizedAccessException(ApiProblems.ForbiddenDetail);
        }

        // A scope of its own: this service outlives requests and circuits, and Identity's user manager is scoped.
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync(username.Trim()).ConfigureAwait(false) is { } user
            ? (user.Id, user.UserName!)
            : null;
    }
}

/// <summary>What ending a session by its id did.</summary>
public enum SessionEnd
{
    NotFound,
    Other,

    /// <summary>The caller's own session: their cookie no longer works and should be deleted.</summary>
    ThisOne,

    /// <summary>An admin named a user who does not exist.</summary>
    UnknownUser,
}
