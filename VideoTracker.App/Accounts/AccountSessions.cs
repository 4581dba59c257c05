namespace VideoTracker.App.Accounts;

/// <summary>
/// A user's own cookie sessions, as <c>/v1/auth/sessions</c> and the Account page list and end them. Nobody sees or
/// ends another user's sessions (an admin ends them all by disabling the user or resetting their password). Each
/// ending is written to the audit trail.
/// </summary>
public sealed class AccountSessions(SessionStore sessions, AuditLog audit)
{
    /// <summary>The caller's live sessions, theirs marked; none for the service key.</summary>
    public async Task<IReadOnlyList<SessionInfo>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        user.UserId() is { } userId ? await sessions.ListAsync(userId, user.SessionSecret(), cancellationToken).ConfigureAwait(false) : [];

    /// <summary>
    /// Ends one of the caller's own sessions: <see cref="SessionEnd.NotFound"/> when they have none with that id, and
    /// <see cref="SessionEnd.ThisOne"/> when it is the session they call from, whose cookie the caller then deletes.
    /// </summary>
    public async Task<SessionEnd> EndAsync(ClaimsPrincipal user, Guid id, string? address, CancellationToken cancellationToken)
    {
        if (user.UserId() is not { } userId)
        {
            return SessionEnd.NotFound;
        }

        var current = (await sessions.ListAsync(userId, user.SessionSecret(), cancellationToken).ConfigureAwait(false)).Any(s => s.Current && s.Id == id);
        if (!await sessions.EndAsync(userId, id, cancellationToken).ConfigureAwait(false))
        {
            return SessionEnd.NotFound;
        }

        await audit.RecordAsync(AuditActions.SessionEnded, user.UserName(), address, detail: $"session {id}", cancellationToken: cancellationToken).ConfigureAwait(false);
        return current ? SessionEnd.ThisOne : SessionEnd.Other;
    }

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
}

/// <summary>What ending a session by its id did.</summary>
public enum SessionEnd
{
    NotFound,
    Other,

    /// <summary>The caller's own session: their cookie no longer works and should be deleted.</summary>
    ThisOne,
}
