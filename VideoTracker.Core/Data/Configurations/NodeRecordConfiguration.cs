using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VideoTracker.Core.Nodes;

namespace VideoTracker.Core.Data.Configurations;

internal sealed class NodeRecordConfiguration : IEntityTypeConfiguration<NodeRecord>
{
    public void Configure(EntityTypeBuilder<NodeRecord> builder)
    {
        builder.ToTable("nodes");
        builder.HasKey(n => n.NodeId);
        builder.Property(n => n.NodeId).HasMaxLength(200);
        builder.Property(n => n.Name).HasMaxLength(200);
        builder.Property(n => n.Role).HasMaxLength(16);
    }
}
