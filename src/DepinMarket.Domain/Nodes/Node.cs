namespace DepinMarket.Domain.Nodes;

/// <summary>
/// A provider's machine behind one or more offers. It proves it is alive with heartbeats signed by its own token
/// (not the provider's API key, which should not sit on every machine). Heartbeats, outages and uptime are written
/// by the API's own SQL (the hot path); this type holds what registration and the provider's views need.
/// </summary>
public sealed class Node
{
    public const int MaxNameLength = 100;
    public const int MinHeartbeatIntervalSeconds = 5;
    public const int MaxHeartbeatIntervalSeconds = 3600;
    public const int DefaultHeartbeatIntervalSeconds = 30;

    public Guid Id { get; private set; }

    public Guid ProviderId { get; private set; }

    public string Name { get; private set; } = "";

    public string TokenPrefix { get; private set; } = "";

    public byte[] TokenHash { get; private set; } = [];

    public int HeartbeatIntervalSeconds { get; private set; }

    public NodeStatus Status { get; private set; }

    public long LastSequence { get; private set; }

    public DateTimeOffset? LastSeenAt { get; private set; }

    public DateTimeOffset? MonitoredSince { get; private set; }

    public string? AgentVersion { get; private set; }

    public string? LatestHeartbeat { get; private set; }

    public int? Uptime24hBps { get; private set; }

    public int? Uptime30dBps { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    private Node()
    {
    }

    /// <exception cref="ValidationFailedException">The name or the interval is not acceptable (both named).</exception>
    public static Node Register(Guid providerId, string? name, int? heartbeatIntervalSeconds, NodeToken token, DateTimeOffset now)
    {
        var validation = new Validation();
        validation.NotBlank(name, "name", MaxNameLength);
        var interval = heartbeatIntervalSeconds ?? DefaultHeartbeatIntervalSeconds;
        validation.InRange(interval, MinHeartbeatIntervalSeconds, MaxHeartbeatIntervalSeconds, "heartbeatIntervalSeconds");
        validation.ThrowIfInvalid();
        return new Node
        {
            Id = Guid.CreateVersion7(now),
            ProviderId = providerId,
            Name = name!.Trim(),
            TokenPrefix = token.Prefix,
            TokenHash = token.Hash,
            HeartbeatIntervalSeconds = interval,
            Status = NodeStatus.New,
            CreatedAt = now,
        };
    }

    /// <summary>A new token replaces the old one at once: a machine that leaked its token is shut out by rotating.</summary>
    public void ReplaceToken(NodeToken token)
    {
        TokenPrefix = token.Prefix;
        TokenHash = token.Hash;
    }

    /// <summary>How long without a heartbeat before the node counts as down.</summary>
    public TimeSpan DownAfter(int missedIntervals) => Trust.NodeLiveness.DownAfter(TimeSpan.FromSeconds(HeartbeatIntervalSeconds), missedIntervals);
}
