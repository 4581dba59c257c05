namespace VideoTracker.App.Accounts;

/// <summary>A key created, or why not: the caller is no user (the service key), or the name is missing or too long.</summary>
public abstract record KeyCreation
{
    private KeyCreation()
    {
    }

    public sealed record Created(CreatedApiKey Key) : KeyCreation;

    public sealed record Refused(string Detail) : KeyCreation;
}

/// <summary>
/// A user's API keys, by the rules and with the audit trail of <c>/v1/keys</c>, for the API and the account page alike:
/// only a user owns keys, and only a key's owner or an admin revokes it.
/// </summary>
public sealed class ApiKeyService(ApiKeyStore keys, AuditLog audit)
{
    public const int MaxNameLength = 100;

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        user.UserId() is { } userId ? await keys.ListAsync(userId, cancellationToken).ConfigureAwait(false) : [];

    public async Task<KeyCreation> CreateAsync(ClaimsPrincipal user, string? name, string? address, CancellationToken cancellationToken)
    {
        if (user.UserId() is not { } userId || user.UserName() is not { } owner)
        {
            return new KeyCreation.Refused("Only a user can own API keys; the service key cannot.");
        }

        var keyName = name?.Trim();
        if (string.IsNullOrEmpty(keyName) || keyName.Length > MaxNameLength)
        {
            return new KeyCreation.Refused($"The field 'name' is required (at most {MaxNameLength} characters).");
        }

        var created = await keys.CreateAsync(userId, keyName, cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(AuditActions.KeyCreated, owner, address, detail: $"{keyName} ({created.Info.Prefix})", cancellationToken: cancellationToken).ConfigureAwait(false);
        return new KeyCreation.Created(created);
    }

    /// <summary>Revokes the key; false when there is no such key, or it is another user's and <paramref name="user"/> is no admin.</summary>
    public async Task<bool> RevokeAsync(ClaimsPrincipal user, Guid keyId, string? address, CancellationToken cancellationToken)
    {
        var key = await keys.FindAsync(keyId, cancellationToken).ConfigureAwait(false);
        if (key is null || (key.UserId != user.UserId() && !user.IsAdmin()))
        {
            return false;
        }

        if (await keys.RevokeAsync(keyId, cancellationToken).ConfigureAwait(false))
        {
            await audit.RecordAsync(AuditActions.KeyRevoked, user.UserName(), address, detail: $"{key.Name} ({key.Prefix})", cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
