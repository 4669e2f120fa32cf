using DepinMarket.Api.Data.Configurations;
using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DepinMarket.Api.Features.Nodes;

// The node tables (migration 0016) in the EF model, so the schema test holds them to the migration. Nodes are
// registered through EF; heartbeats, outages and uptime are written by HeartbeatWriter's and NodeMonitor's own SQL.

/// <summary>A row of <c>node_outages</c>: from the last heartbeat before the outage to the first after it.</summary>
public sealed class NodeOutageRecord
{
    public long Id { get; private set; }
    public Guid NodeId { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
}

internal sealed class NodeConfiguration : IEntityTypeConfiguration<Node>
{
    public void Configure(EntityTypeBuilder<Node> builder)
    {
        builder.ToTable("nodes", t =>
        {
            t.HasCheckConstraint("nodes_name_check", "length(name) between 1 and 100");
            t.HasCheckConstraint("nodes_status_check", EnumText<NodeStatus>.CheckIn("status"));
            t.HasCheckConstraint("nodes_heartbeat_interval_seconds_check", "heartbeat_interval_seconds between 5 and 3600");
            t.HasCheckConstraint("nodes_last_sequence_check", "last_sequence >= 0");
            t.HasCheckConstraint("nodes_uptime_check", "uptime24h_bps between 0 and 10000 and uptime30d_bps between 0 and 10000");
        });
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Status).HasConversion(new EnumText<NodeStatus>());
        builder.HasOne<Account>().WithMany().HasForeignKey(n => n.ProviderId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(n => n.TokenPrefix, "ix_nodes_token_prefix").IsUnique();
        builder.HasIndex(n => new { n.ProviderId, n.CreatedAt }, "ix_nodes_provider");
        builder.HasIndex(n => n.LastSeenAt, "ix_nodes_up_last_seen").HasFilter("status = 'up'");
    }
}

internal sealed class NodeOutageConfiguration : IEntityTypeConfiguration<NodeOutageRecord>
{
    public void Configure(EntityTypeBuilder<NodeOutageRecord> builder)
    {
        builder.ToTable("node_outages", t => t.HasCheckConstraint("node_outages_interval_check", "ended_at is null or ended_at >= started_at"));
        builder.HasKey(o => o.Id);
        builder.HasOne<Node>().WithMany().HasForeignKey(o => o.NodeId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(o => new { o.NodeId, o.StartedAt }, "ix_node_outages_node");
        builder.HasIndex(o => o.NodeId, "ix_node_outages_open").IsUnique().HasFilter("ended_at is null");
    }
}
