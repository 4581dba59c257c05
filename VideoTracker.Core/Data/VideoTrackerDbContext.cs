using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using VideoTracker.Core.Accounts;
using VideoTracker.Core.Data.Configurations;
using VideoTracker.Core.Jobs;
using VideoTracker.Core.Nodes;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.Core.Data;

/// <summary>
/// The model, shared by both providers. Each provider has its own subclass
/// (<see cref="SqliteVideoTrackerDbContext"/>, <see cref="PostgresVideoTrackerDbContext"/>) so that each keeps
/// its own migrations set, as EF Core documents for multi-provider apps. Code outside this folder only ever
/// sees this type, through <c>IDbContextFactory&lt;VideoTrackerDbContext&gt;</c>. It holds the jobs, and ASP.NET Core
/// Identity's users and roles with the API keys, the cookie sessions and the audit trail, and the running nodes.
/// Columns are named by convention (snake_case, set up with the provider in <see cref="ProviderOptions"/>);
/// <c>Configurations/</c> holds only what a convention cannot say, and <see cref="NamesBeforeTheConvention"/> the
/// names the convention must not change.
/// </summary>
public abstract class VideoTrackerDbContext(DbContextOptions options) : IdentityDbContext<AppUser>(options)
{
    public DbSet<VideoJob> Jobs => Set<VideoJob>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<UserApiKey> ApiKeys => Set<UserApiKey>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<UserSession> Sessions => Set<UserSession>();

    public DbSet<NodeRecord> Nodes => Set<NodeRecord>();

    /// <summary>
    /// Begins a transaction that one caller at a time holds for <paramref name="section"/>, across processes and
    /// nodes: a check and the change it allows then see no other change of the same kind between them. Work in it
    /// goes through this context only (another context would wait on SQLite's write lock).
    /// </summary>
    public abstract Task<IDbContextTransaction> BeginExclusiveAsync(ExclusiveSection section, CancellationToken cancellationToken);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Identity's tables, named like ours.
        builder.Entity<AppUser>().ToTable("users");
        builder.Entity<IdentityRole>().ToTable("roles");
        builder.Entity<IdentityUserRole<string>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<string>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<string>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<string>>().ToTable("role_claims");

        builder.ApplyConfigurationsFromAssembly(typeof(VideoTrackerDbContext).Assembly);
        NamesBeforeTheConvention.Keep(builder.Model);
    }
}

