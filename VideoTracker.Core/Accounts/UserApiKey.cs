namespace VideoTracker.Core.Accounts;

/// <summary>
/// One row of <c>api_keys</c>. Only a short lookup prefix and the SHA-256 of the whole key are stored;
/// the key itself is shown once, when it is created.
/// </summary>
public sealed class UserApiKey
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    /// <summary>The random part after <c>vt_</c> up to the second underscore: finds the row without scanning.</summary>
    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the whole key, lower-case hex.</summary>
    public required string Hash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public AppUser? User { get; set; }
}
