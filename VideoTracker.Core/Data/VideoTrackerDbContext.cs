using Microsoft.EntityFrameworkCore;
using VideoTracker.Core.Jobs;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.Core.Data;

/// <summary>
/// The model, shared by both providers. Each provider has its own subclass
/// (<see cref="SqliteVideoTrackerDbContext"/>, <see cref="PostgresVideoTrackerDbContext"/>) so that each keeps
/// its own migrations set, as EF Core documents for multi-provider apps. Code outside this folder only ever
/// sees this type, through <c>IDbContextFactory&lt;VideoTrackerDbContext&gt;</c>.
/// </summary>
public abstract class VideoTrackerDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<VideoJob> Jobs => Set<VideoJob>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(VideoTrackerDbContext).Assembly);
    }
}
