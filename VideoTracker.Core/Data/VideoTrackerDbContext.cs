using Microsoft.EntityFrameworkCore;
using VideoTracker.Core.Jobs;

namespace VideoTracker.Core.Data;

public sealed class VideoTrackerDbContext(DbContextOptions<VideoTrackerDbContext> options) : DbContext(options)
{
    public DbSet<VideoJob> Jobs => Set<VideoJob>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(VideoTrackerDbContext).Assembly);
    }
}
