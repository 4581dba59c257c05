using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.Core.Data.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.DeliveryId);
        builder.Property(d => d.Url).HasMaxLength(2048);
        builder.Property(d => d.Status).HasMaxLength(16).HasConversion<string>();
        builder.HasIndex(d => d.JobId).HasDatabaseName("ix_webhook_deliveries_job_id");
        builder.HasIndex(d => d.Status).HasDatabaseName("ix_webhook_deliveries_status");
    }
}
