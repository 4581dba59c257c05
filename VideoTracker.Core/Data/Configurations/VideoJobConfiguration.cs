using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using VideoTracker.Core.Jobs;

namespace VideoTracker.Core.Data.Configurations;

internal sealed class VideoJobConfiguration : IEntityTypeConfiguration<VideoJob>
{
    private static readonly ValueConverter<JobStatus, string> Status =
        new(v => v.ToWire(), v => ParseStatus(v));

    public void Configure(EntityTypeBuilder<VideoJob> builder)
    {
        builder.ToTable("jobs");
        builder.HasKey(j => j.JobId);
        builder.Property(j => j.PluginId).HasMaxLength(100);
        builder.Property(j => j.Tool).HasMaxLength(100);
        builder.Property(j => j.Device).HasMaxLength(20);
        builder.Property(j => j.Status).HasMaxLength(16).HasConversion(Status);
        builder.Property(j => j.Owner).HasMaxLength(256);
        builder.Property(j => j.Worker).HasMaxLength(200);
        builder.HasIndex(j => new { j.Status, j.CreatedAt }).HasDatabaseName("ix_jobs_status_created_at");
        builder.HasIndex(j => j.CreatedAt).HasDatabaseName("ix_jobs_created_at");
        builder.HasIndex(j => new { j.Owner, j.CreatedAt }).HasDatabaseName("ix_jobs_owner_created_at");

        // The queue, oldest first (JobStore.QueuePositions, JobStore.ClaimNextAsync): the pending jobs alone, so the
        // planner can neither walk the ended jobs in creation order nor count them.
        builder.HasIndex(j => j.CreatedAt, "ix_jobs_pending_created_at").HasDatabaseName("ix_jobs_pending_created_at")
            .HasFilter($"status = '{JobStatus.Pending.ToWire()}'");

        // The retention sweep, the longest ended first (JobStore.TerminalBeforeAsync): the ended jobs alone, in the order
        // they ended. The condition is the query's own (status IN (…), in JobStatus order), as SQLite uses a partial index
        // only for a query that repeats its condition.
        builder.HasIndex(j => j.UpdatedAt, "ix_jobs_ended_updated_at").HasDatabaseName("ix_jobs_ended_updated_at")
            .HasFilter($"status IN ({string.Join(", ", Enum.GetValues<JobStatus>().Where(s => s.IsTerminal()).Select(s => $"'{s.ToWire()}'"))})");
    }

    private static JobStatus ParseStatus(string value) =>
        JobStatusExtensions.TryParseWire(value, out var status) ? status : JobStatus.Failed;
}
