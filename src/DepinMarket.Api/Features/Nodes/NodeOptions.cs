namespace DepinMarket.Api.Features.Nodes;

/// <summary>Settings of nodes and heartbeats (section "Nodes").</summary>
public sealed class NodeOptions
{
    /// <summary>A node is down after this many heartbeat intervals without one (3 × 30 s = 90 s by default).</summary>
    public int MissedIntervals { get; set; } = 3;

    /// <summary>How often the monitor marks silent nodes down and refreshes uptime for search; null or zero: never (tests run it by hand).</summary>
    public TimeSpan? MonitorInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Days of raw heartbeats kept; older daily partitions are dropped whole.</summary>
    public int HeartbeatRetentionDays { get; set; } = 7;

    /// <summary>Nodes one provider may register.</summary>
    public int MaxNodesPerProvider { get; set; } = 1000;
}
