using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.Core.Data.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    private static readonly ValueConverter<DateTime, DateTime> Utc =
        new(v => v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private static readonly ValueConverter<DateTime?, DateTime?> NullableUtc =
        new(v => v.HasValue ? v.Value.ToUniversalTime() : v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);

    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.DeliveryId);
        builder.Property(d => d.DeliveryId).HasColumnName("delivery_id");
        builder.Property(d => d.JobId).HasColumnName("job_id");
        builder.Property(d => d.Url).HasColumnName("url").HasMaxLength(2048);
        builder.Property(d => d.Status).HasColumnName("status").HasMaxLength(16).HasConversion<string>();
        builder.Property(d => d.Body).HasColumnName("body");
        builder.Property(d => d.Attempts).HasColumnName("attempts");
        builder.Property(d => d.LastStatusCode).HasColumnName("last_status_code");
        builder.Property(d => d.LastError).HasColumnName("last_error");
        builder.Property(d => d.CreatedAt).HasColumnName("created_at").HasConversion(Utc);
        builder.Property(d => d.UpdatedAt).HasColumnName("updated_at").HasConversion(Utc);
        builder.Property(d => d.DeliveredAt).HasColumnName("delivered_at").HasConversion(NullableUtc);
        builder.HasIndex(d => d.JobId).HasDatabaseName("ix_webhook_deliveries_job_id");
        builder.HasIndex(d => d.Status).HasDatabaseName("ix_webhook_deliveries_status");
    }
}
