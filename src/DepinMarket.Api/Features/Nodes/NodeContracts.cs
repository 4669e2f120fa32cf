using DepinMarket.Domain.Nodes;

namespace DepinMarket.Api.Features.Nodes;

/// <param name="Name">What the provider calls the machine ("rig-01"), 1 to 100 characters.</param>
/// <param name="HeartbeatIntervalSeconds">How often the agent beats, 5 to 3600 seconds (default 30). The node is down after Nodes:MissedIntervals missed beats.</param>
public sealed record CreateNodeRequest(string Name, int? HeartbeatIntervalSeconds = null);

/// <summary>A node as its provider sees it.</summary>
/// <param name="Uptime">Share of the last 24 hours and 30 days the node was up (refreshed every Nodes:MonitorInterval); null before its first heartbeat.</param>
public sealed record NodeResponse(
    Guid Id, Guid ProviderId, string Name, int HeartbeatIntervalSeconds, NodeStatus Status, long LastSequence,
    DateTimeOffset? LastSeenAt, string? AgentVersion, NodeUptime? Uptime, DateTimeOffset CreatedAt)
{
    public static NodeResponse From(Node n) => new(
        n.Id, n.ProviderId, n.Name, n.HeartbeatIntervalSeconds, n.Status, n.LastSequence, n.LastSeenAt, n.AgentVersion,
        NodeUptime.FromBps(n.Uptime24hBps, n.Uptime30dBps), n.CreatedAt);
}

/// <summary>A node with its token: only in the answers to registration and rotation.</summary>
/// <param name="Token">Send it as "Authorization: Bearer &lt;token&gt;" on heartbeats and challenge answers. Shown once.</param>
public sealed record NodeWithTokenResponse(
    Guid Id, Guid ProviderId, string Name, int HeartbeatIntervalSeconds, NodeStatus Status, DateTimeOffset CreatedAt, string Token)
{
    public static NodeWithTokenResponse From(Node n, NodeToken token) =>
        new(n.Id, n.ProviderId, n.Name, n.HeartbeatIntervalSeconds, n.Status, n.CreatedAt, token.Text);
}

public sealed record NodeList(IReadOnlyList<NodeResponse> Items, string? NextCursor);

/// <summary>Uptime as fractions from 0 to 1 (0.9987 = 99.87%), to four decimals.</summary>
public sealed record NodeUptime(double? Last24h, double? Last30d)
{
    public static NodeUptime? FromBps(int? last24h, int? last30d) =>
        last24h is null && last30d is null ? null : new NodeUptime(last24h / 10_000.0, last30d / 10_000.0);
}

/// <summary>One outage: from the last heartbeat before it to the first one after (until null: still down).</summary>
public sealed record NodeOutageResponse(DateTimeOffset From, DateTimeOffset? Until, long Seconds);

/// <param name="Latest">The latest heartbeat's body as the agent sent it (GPUs, disk, bandwidth).</param>
/// <param name="Outages">Outages of the last 30 days, newest first (at most 100).</param>
public sealed record NodeHealthResponse(
    Guid NodeId, NodeStatus Status, DateTimeOffset? LastSeenAt, long LastSequence, DateTimeOffset? MonitoredSince,
    int HeartbeatIntervalSeconds, long DownAfterSeconds, NodeUptime? Uptime, IReadOnlyList<NodeOutageResponse> Outages,
    HeartbeatRequest? Latest);

/// <param name="Sequence">Strictly greater than the last accepted one (1 to 2^53 − 1); a unix time in milliseconds works.</param>
/// <param name="AgentVersion">The agent's version, up to 40 characters.</param>
/// <param name="Gpus">Per GPU, what nvidia-smi reports (up to 64); a value nvidia-smi gives as [N/A] is null.</param>
/// <param name="DiskFreeGb">Free disk in GB (10^9 bytes).</param>
/// <param name="BandwidthMbps">Measured bandwidth in Mbit/s, when the agent measures it.</param>
public sealed record HeartbeatRequest(
    long Sequence, string AgentVersion, IReadOnlyList<GpuReading>? Gpus = null, double? DiskFreeGb = null, double? BandwidthMbps = null);

/// <param name="Index">nvidia-smi's index, 0 to 63.</param>
/// <param name="Model">nvidia-smi's name ("NVIDIA H100 80GB HBM3").</param>
public sealed record GpuReading(
    int Index, string Model, int? UtilizationPercent = null, long? MemoryUsedMib = null, long? MemoryTotalMib = null, int? TemperatureC = null);

/// <param name="NextHeartbeatSeconds">When the API expects the next beat.</param>
/// <param name="Challenges">Open storage challenges for this node: answer each before its deadline.</param>
public sealed record HeartbeatResponse(long Sequence, NodeStatus Status, int NextHeartbeatSeconds, IReadOnlyList<StorageChallengeResponse> Challenges);

/// <summary>A storage challenge to a node: prove it still holds chunk <c>ChunkIndex</c> of the rental's data.</summary>
public sealed record StorageChallengeResponse(
    Guid Id, Guid RentalId, string MerkleRoot, long ChunkCount, int ChunkSize, long ChunkIndex, string Nonce, DateTimeOffset Deadline);
