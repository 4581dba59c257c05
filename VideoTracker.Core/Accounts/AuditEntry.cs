namespace VideoTracker.Core.Accounts;

/// <summary>One row of <c>audit_entries</c>: who did what, from where. Never a secret.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public required string Action { get; set; }

    public string? Username { get; set; }

    public Guid? JobId { get; set; }

    public string? Address { get; set; }

    public string? Detail { get; set; }
}

/// <summary>The actions the audit trail records.</summary>
public static class AuditActions
{
    public const string SignIn = "sign_in";
    public const string SignInFailed = "sign_in_failed";
    public const string SignOut = "sign_out";
    public const string SessionEnded = "session_ended";
    public const string OtherSessionsEnded = "other_sessions_ended";

    /// <summary>An admin ended one of another user's sessions (the entry's user is the admin; the detail names whose).</summary>
    public const string UserSessionEnded = "user_session_ended";
    public const string JobSubmitted = "job_submitted";
    public const string JobCancelled = "job_cancelled";
    public const string JobDeleted = "job_deleted";
    public const string KeyCreated = "key_created";
    public const string KeyRevoked = "key_revoked";
    public const string UserCreated = "user_created";
    public const string UserChanged = "user_changed";
    public const string PasswordChanged = "password_changed";

    /// <summary>An admin listed another user's sessions (the entry's user is the admin; the detail names whose).</summary>
    public const string UserSessionsListed = "user_sessions_listed";

    /// <summary>Every action, for filters and their checks.</summary>
    public static IReadOnlyList<string> All { get; } =
        [SignIn, SignInFailed, SignOut, SessionEnded, OtherSessionsEnded, UserSessionEnded, JobSubmitted, JobCancelled, JobDeleted, KeyCreated, KeyRevoked, UserCreated, UserChanged, PasswordChanged, UserSessionsListed];
}

/// <summary>Which entries of the audit trail to list: those of one user, of one action, or both (null lets all through).</summary>
public sealed record AuditFilter(string? Username = null, string? Action = null)
{
    /// <summary>The longest username a filter takes (Identity's own limit).</summary>
    public const int MaxUsernameLength = 256;

    public static AuditFilter None { get; } = new();

    /// <summary>
    /// The filter that a query's <c>user</c> and <c>action</c> ask for (blank is no filter), or null and why not: an action
    /// the trail does not record, or a username longer than any user's.
    /// </summary>
    public static AuditFilter? Parse(string? user, string? action, out string? error)
    {
        error = null;
        user = string.IsNullOrWhiteSpace(user) ? null : user.Trim();
        action = string.IsNullOrWhiteSpace(action) ? null : action.Trim();
        if (user is { Length: > MaxUsernameLength })
        {
            error = $"user must be at most {MaxUsernameLength} characters.";
            return null;
        }

        if (action is not null && !AuditActions.All.Contains(action, StringComparer.Ordinal))
        {
            error = $"action must be one of {string.Join(", ", AuditActions.All)}; '{(action.Length > 64 ? action[..64] + "…" : action)}' is not.";
            return null;
        }

        return new AuditFilter(user, action);
    }
}
