namespace VideoTracker.App.Accounts;

// Every DTO is serialized in snake_case (see ApiJson).
public sealed record LoginRequest(string? Username, string? Password);

public sealed record MeDto(string? Username, string? Role);

public sealed record CreateKeyRequest(string? Name);

public sealed record CreatedKeyDto(Guid Id, string Name, string Key);

public sealed record KeyDto(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt)
{
    public static KeyDto From(ApiKeyInfo k) => new(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}

public sealed record KeyListDto(IReadOnlyList<KeyDto> Keys);

/// <summary>A cookie session: its own id, never the cookie's secret.</summary>
public sealed record SessionDto(Guid Id, DateTime CreatedAt, DateTime LastSeenAt, string? Address, string? UserAgent, bool Current)
{
    public static SessionDto From(SessionInfo s) => new(s.Id, s.CreatedAt, s.LastSeenAt, s.Address, s.UserAgent, s.Current);
}

public sealed record SessionListDto(IReadOnlyList<SessionDto> Sessions);

public sealed record EndedSessionsDto(int Ended);

public sealed record CreateUserRequest(string? Username, string? Password, string? Role);

public sealed record ChangeUserRequest(string? Role, bool? Disabled, string? Password);

public sealed record UserDto(string Username, string? Role, bool Disabled, DateTime CreatedAt, bool LockedOut)
{
    public static UserDto From(UserInfo u) => new(u.Username, u.Role, u.Disabled, u.CreatedAt, u.LockedOut);
}

public sealed record UserListDto(IReadOnlyList<UserDto> Users);

public sealed record AuditEntryDto(long Id, DateTime At, string Action, string? Username, Guid? JobId, string? Address, string? Detail)
{
    public static AuditEntryDto From(AuditEntry e) => new(e.Id, e.At, e.Action, e.Username, e.JobId, e.Address, e.Detail);
}

public sealed record AuditListDto(IReadOnlyList<AuditEntryDto> Entries, int Count);
