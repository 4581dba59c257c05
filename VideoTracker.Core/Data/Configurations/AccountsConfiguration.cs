using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Core.Data.Configurations;

internal sealed class UserApiKeyConfiguration : IEntityTypeConfiguration<UserApiKey>
{
    public void Configure(EntityTypeBuilder<UserApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Name).HasMaxLength(100);
        builder.Property(k => k.Prefix).HasMaxLength(16);
        builder.Property(k => k.Hash).HasMaxLength(64);
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
        builder.Property(e => e.Action).HasMaxLength(32);
        builder.Property(e => e.Username).HasMaxLength(256);
        builder.Property(e => e.Address).HasMaxLength(64);
        builder.Property(e => e.Detail).HasMaxLength(1000);

        // The audit list's filters (AuditLog.ListAsync): one user's or one action's entries, newest (highest id) first.
        builder.HasIndex(e => new { e.Username, e.Id }).HasDatabaseName("ix_audit_entries_username_id");
        builder.HasIndex(e => new { e.Action, e.Id }).HasDatabaseName("ix_audit_entries_action_id");

        // The retention sweep (AuditLog.DeleteBeforeAsync): the oldest entries first, and none read past the cutoff.
        builder.HasIndex(e => e.At).HasDatabaseName("ix_audit_entries_at");
    }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.ToTable("user_sessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Hash).HasMaxLength(64);
        builder.Property(s => s.Address).HasMaxLength(64);
        builder.Property(s => s.UserAgent).HasMaxLength(SessionStore.UserAgentLength);
        builder.HasIndex(s => s.Hash).IsUnique().HasDatabaseName("ix_user_sessions_hash");
        builder.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
