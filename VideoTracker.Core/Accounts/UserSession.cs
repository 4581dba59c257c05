namespace VideoTracker.Core.Accounts;

/// <summary>
/// One row of <c>user_sessions</c>: a cookie sign-in. The cookie carries a random secret; only its SHA-256 is stored.
/// A cookie whose row is gone is refused, so deleting the row signs out every copy of that cookie.
/// </summary>
public sealed class UserSession
{
    /// <summary>The session's own id, as the API and the Account page name it: never the cookie's secret.</summary>
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>SHA-256 of the cookie's secret, lower-case hex.</summary>
    public required string Hash { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The last request with this cookie, to within <see cref="SessionStore.LastSeenResolution"/>.</summary>
    public DateTime LastSeenAt { get; set; }

    /// <summary>The client's address at sign-in.</summary>
    public string? Address { get; set; }

    /// <summary>The browser's User-Agent at sign-in, cut to <see cref="SessionStore.UserAgentLength"/> characters.</summary>
    public string? UserAgent { get; set; }

    public AppUser? User { get; set; }
}
