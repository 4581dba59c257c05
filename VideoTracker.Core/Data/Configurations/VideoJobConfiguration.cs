using Microsoft.EntityFrameworkCore;
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
        builder.Property(j => j.JobId).HasColumnName("job_id");
        builder.Property(j => j.PluginId).HasColumnName("plugin_id").HasMaxLength(100);
        builder.Property(j => j.Tool).HasColumnName("tool").HasMaxLength(100);
        builder.Property(j => j.Device).HasColumnName("device").HasMaxLength(20);
        builder.Property(j => j.Status).HasColumnName("status").HasMaxLength(16).HasConversion(Status);
        builder.Property(j => j.Progress).HasColumnName("progress");
        builder.Property(j => j.OptionsJson).HasColumnName("options_json");
        builder.Property(j => j.OriginalFileName).HasColumnName("original_file_name");
        builder.Property(j => j.StoredFilePath).HasColumnName("stored_file_path");
        builder.Property(j => j.FileSizeBytes).HasColumnName("file_size_bytes");
        builder.Property(j => j.Owner).HasColumnName("owner").HasMaxLength(256);
        builder.Property(j => j.CreatedAt).HasColumnName("created_at").HasConversion(UtcConverters.Utc);
        builder.Property(j => j.StartedAt).HasColumnName("started_at").HasConversion(UtcConverters.NullableUtc);
        builder.Property(j => j.UpdatedAt).HasColumnName("updated_at").HasConversion(UtcConverters.Utc);
        builder.Property(j => j.CompletedAt).HasColumnName("completed_at").HasConversion(UtcConverters.NullableUtc);
        builder.Property(j => j.Error).HasColumnName("error");
        builder.Property(j => j.Attempts).HasColumnName("attempts");
        builder.Property(j => j.ResultsPath).HasColumnName("results_path");
        builder.Property(j => j.LeaseOwner).HasColumnName("lease_owner");
        builder.Property(j => j.LeaseExpiresAt).HasColumnName("lease_expires_at").HasConversion(UtcConverters.NullableUtc);
        builder.Property(j => j.CurrentFrame).HasColumnName("current_frame");
        builder.Property(j => j.TotalFrames).HasColumnName("total_frames");
        builder.Property(j => j.Fps).HasColumnName("fps");
        builder.Property(j => j.EtaSeconds).HasColumnName("eta_seconds");
        builder.Property(j => j.CancelRequestedAt).HasColumnName("cancel_requested_at").HasConversion(UtcConverters.NullableUtc);
        builder.Property(j => j.Worker).HasColumnName("worker").HasMaxLength(200);
        builder.HasIndex(j => new { j.Status, j.CreatedAt }).HasDatabaseName("ix_jobs_status_created_at");
        builder.HasIndex(j => j.CreatedAt).HasDatabaseName("ix_jobs_created_at");
        builder.HasIndex(j => new { j.Owner, j.CreatedAt }).HasDatabaseName("ix_jobs_owner_created_at");
    }

    private static JobStatus ParseStatus(string value) =>
        JobStatusExtensions.TryParseWire(value, out var status) ? status : JobStatus.Failed;
}
