namespace VideoTracker.Core.Accounts;

/// <summary>A session as its user sees it: never the cookie's secret.</summary>
public sealed record SessionInfo(Guid Id, DateTime CreatedAt, DateTime LastSeenAt, string? Address, string? UserAgent, bool Current);

/// <summary>
/// Server-side records of cookie sign-ins (<see cref="UserSession"/>). The cookie carries a random secret, the database
/// its SHA-256; a cookie is good only while its row is there, so ending a session ends every copy of its cookie.
/// </summary>
public sealed class SessionStore(IDbContextFactory<VideoTrackerDbContext> contexts, TimeProvider time)
{
    /// <summary>How long a cookie lives after it was last issued (it slides while in use); the cookie's own expiry.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>How often the last-seen time is written for a session in steady use.</summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(5);

    public const int UserAgentLength = 200;
    private const int SecretBytes = 32;

    /// <summary>
    /// Records a new session of <paramref name="userId"/> and returns its secret, for the cookie only. Sign-in is also
    /// when the sessions that have expired are deleted: no cookie can carry them any more.
    /// </summary>
    public async Task<string> CreateAsync(string userId, string? address, string? userAgent, CancellationToken cancellationToken)
    {
        var secret = Secrets.NewRandom(SecretBytes);
        var now = time.GetUtcNow().UtcDateTime;
        var expired = ExpiredBefore(now);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Sessions.Where(s => s.LastSeenAt < expired).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        db.Sessions.Add(new UserSession
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Hash = Secrets.HashOf(secret),
            CreatedAt = now,
            LastSeenAt = now,
            Address = address,
            UserAgent = userAgent is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, UserAgentLength)] : null,
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return secret;
    }

    /// <summary>
    /// The user of the session that <paramref name="secret"/> belongs to, when it is <paramref name="userId"/>'s; null when
    /// the session has ended. One indexed lookup; records when the session was last seen.
    /// </summary>
    public async Task<AppUser?> UserOfAsync(string secret, string userId, CancellationToken cancellationToken)
    {
        var hash = Secrets.HashOf(secret);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var session = await db.Sessions.AsNoTracking().Where(s => s.Hash == hash && s.UserId == userId)
            .Select(s => new { s.Id, s.LastSeenAt, s.User })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (now - session.LastSeenAt >= LastSeenResolution)
        {
            await db.Sessions.Where(s => s.Id == session.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), cancellationToken).ConfigureAwait(false);
        }

        return session.User;
    }

    /// <summary>The user's live sessions, last seen first; the one <paramref name="currentSecret"/> belongs to is marked.</summary>
    public async Task<IReadOnlyList<SessionInfo>> ListAsync(string userId, string? currentSecret, CancellationToken cancellationToken)
    {
        var current = currentSecret is null ? null : Secrets.HashOf(currentSecret);
        var expired = ExpiredBefore(time.GetUtcNow().UtcDateTime);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Sessions.AsNoTracking().Where(s => s.UserId == userId && s.LastSeenAt >= expired)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderByDescending(s => s.LastSeenAt)
            .Select(s => new SessionInfo(s.Id, s.CreatedAt, s.LastSeenAt, s.Address, s.UserAgent, s.Hash == current))];
    }

    /// <summary>Ends one of <paramref name="userId"/>'s sessions; false when they have none with that id.</summary>
    public async Task<bool> EndAsync(string userId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Sessions.Where(s => s.Id == id && s.UserId == userId)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Ends the session that <paramref name="secret"/> belongs to (signing out).</summary>
    public async Task EndAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = Secrets.HashOf(secret);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Sessions.Where(s => s.Hash == hash).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends every session of <paramref name="userId"/> but the one <paramref name="keepSecret"/> belongs to; returns how many.</summary>
    public async Task<int> EndOthersAsync(string userId, string? keepSecret, CancellationToken cancellationToken)
    {
        var keep = keepSecret is null ? null : Secrets.HashOf(keepSecret);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Sessions.Where(s => s.UserId == userId && s.Hash != keep)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends every session of <paramref name="userId"/> through <paramref name="db"/>, so that it is part of whatever
    /// transaction that context is in (an admin's change of the user); returns how many.
    /// </summary>
    public static Task<int> EndAllAsync(VideoTrackerDbContext db, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Sessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>A session last seen before this has a cookie that has expired, however it slid.</summary>
    private static DateTime ExpiredBefore(DateTime now) => now - Lifetime - LastSeenResolution;
}
