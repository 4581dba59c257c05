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
    public const string JobSubmitted = "job_submitted";
    public const string JobCancelled = "job_cancelled";
    public const string JobDeleted = "job_deleted";
    public const string KeyCreated = "key_created";
    public const string KeyRevoked = "key_revoked";
    public const string UserCreated = "user_created";
    public const string UserChanged = "user_changed";
    public const string PasswordChanged = "password_changed";
}
