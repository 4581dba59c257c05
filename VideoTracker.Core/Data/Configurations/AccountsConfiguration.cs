using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Core.Data.Configurations;

internal sealed class UserApiKeyConfiguration : IEntityTypeConfiguration<UserApiKey>
{
    public void Configure(EntityTypeBuilder<UserApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasColumnName("id");
        builder.Property(k => k.UserId).HasColumnName("user_id");
        builder.Property(k => k.Name).HasColumnName("name").HasMaxLength(100);
        builder.Property(k => k.Prefix).HasColumnName("prefix").HasMaxLength(16);
        builder.Property(k => k.Hash).HasColumnName("hash").HasMaxLength(64);
        builder.Property(k => k.CreatedAt).HasColumnName("created_at").HasConversion(UtcConverters.Utc);
        builder.Property(k => k.LastUsedAt).HasColumnName("last_used_at").HasConversion(UtcConverters.NullableUtc);
        builder.Property(k => k.RevokedAt).HasColumnName("revoked_at").HasConversion(UtcConverters.NullableUtc);
        builder.HasIndex(k => k.Prefix).HasDatabaseName("ix_api_keys_prefix");
        builder.HasOne(k => k.User).WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id");
        builder.Property(e => e.At).HasColumnName("at").HasConversion(UtcConverters.Utc);
        builder.Property(e => e.Action).HasColumnName("action").HasMaxLength(32);
        builder.Property(e => e.Username).HasColumnName("username").HasMaxLength(256);
        builder.Property(e => e.JobId).HasColumnName("job_id");
        builder.Property(e => e.Address).HasColumnName("address").HasMaxLength(64);
        builder.Property(e => e.Detail).HasColumnName("detail").HasMaxLength(1000);
    }
}

/// <summary>UTC in, UTC out: SQLite has no date type and keeps dates as ISO text (which sorts correctly) without a kind.</summary>
internal static class UtcConverters
{
    public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime> Utc =
        new(v => v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime?, DateTime?> NullableUtc =
        new(v => v.HasValue ? v.Value.ToUniversalTime() : v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}
