namespace DepinMarket.Domain.Nodes;

/// <summary>What the heartbeat record says of a node. Stored as text ("new", "up", "down").</summary>
public enum NodeStatus
{
    /// <summary>Registered, no heartbeat yet: not proven alive, so its offers are not listed.</summary>
    New,
    /// <summary>Beating within its interval.</summary>
    Up,
    /// <summary>Missed Nodes:MissedIntervals heartbeats in a row: its offers are hidden and its renters are not charged.</summary>
    Down,
}
