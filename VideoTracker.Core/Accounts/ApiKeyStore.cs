using System.Security.Cryptography;
using System.Text;

namespace VideoTracker.Core.Accounts;

/// <summary>A key as its owner sees it: never the secret.</summary>
public sealed record ApiKeyInfo(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>A key that was just made: the only moment its secret exists outside the client.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Key);

/// <summary>The user a presented key belongs to, when the key is valid, live and its user enabled.</summary>
public sealed record ApiKeyOwner(Guid KeyId, string UserId, string UserName);

/// <summary>Per-user API keys: <c>vt_{prefix}_{secret}</c>, stored as a lookup prefix and a SHA-256 hash.</summary>
public sealed class ApiKeyStore(IDbContextFactory<VideoTrackerDbContext> contexts, TimeProvider time)
{
    public const string KeyStart = "vt_";
    private const int PrefixBytes = 6;
    private const int SecretBytes = 32;

    /// <summary>How often the last-used time is written for a key in steady use.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<CreatedApiKey> CreateAsync(string userId, string name, CancellationToken cancellationToken)
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PrefixBytes));
        var secret = Secrets.NewRandom(SecretBytes);
        var key = $"{KeyStart}{prefix}_{secret}";
        var row = new UserApiKey
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Name = name,
            Prefix = prefix,
            Hash = Secrets.HashOf(key),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new CreatedApiKey(ToInfo(row), key);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.ApiKeys.AsNoTracking().Where(k => k.UserId == userId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderByDescending(k => k.CreatedAt).Select(ToInfo)];
    }

    /// <summary>The key's owner id, or null when no such key exists.</summary>
    public async Task<UserApiKey?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the key revoked; true when this call revoked it.</summary>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// The owner of a presented key, or null when the key is malformed, unknown, revoked, or its user is
    /// disabled. Compares hashes in constant time and records when the key was last used.
    /// </summary>
    public async Task<ApiKeyOwner?> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        if (!TryPrefixOf(presented, out var prefix))
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var candidates = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Prefix == prefix && k.RevokedAt == null && !k.User!.Disabled)
            .Select(k => new { k.Id, k.Hash, k.LastUsedAt, k.UserId, k.User!.UserName })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var hash = Encoding.ASCII.GetBytes(Secrets.HashOf(presented));
        var match = candidates.FirstOrDefault(k => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(k.Hash), hash));
        if (match is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (match.LastUsedAt is not { } last || now - last >= LastUsedResolution)
        {
            await db.ApiKeys.Where(k => k.Id == match.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken).ConfigureAwait(false);
        }

        return new ApiKeyOwner(match.Id, match.UserId, match.UserName!);
    }

    private static bool TryPrefixOf(string presented, out string prefix)
    {
        prefix = string.Empty;
        if (!presented.StartsWith(KeyStart, StringComparison.Ordinal))
        {
            return false;
        }

        var end = presented.IndexOf('_', KeyStart.Length);
        if (end != KeyStart.Length + (PrefixBytes * 2))
        {
            return false;
        }

        prefix = presented[KeyStart.Length..end];
        return true;
    }

    private static ApiKeyInfo ToInfo(UserApiKey k) => new(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}
