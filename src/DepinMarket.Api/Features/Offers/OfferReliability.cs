using DepinMarket.Api.Features.Nodes;
using DepinMarket.Domain.Nodes;
using DepinMarket.Domain.Offers;

namespace DepinMarket.Api.Features.Offers;

/// <summary>
/// What the heartbeat record says of the node behind an offer, shown beside the offer's terms so a client can weigh
/// price against reliability. Null for an offer that names no node (nobody monitors it).
/// </summary>
/// <param name="NodeStatus">Search lists only offers whose node is up; the offer's own page shows the rest too.</param>
/// <param name="Uptime">The node's uptime over the last 24 hours and 30 days; null before its first heartbeat.</param>
public sealed record OfferReliability(Guid NodeId, NodeStatus? NodeStatus, NodeUptime? Uptime)
{
    /// <summary>From the offer's node when the query loaded it; just the node's id when it did not.</summary>
    public static OfferReliability? Of(Offer offer) => offer.NodeId is not { } nodeId
        ? null
        : new OfferReliability(nodeId, offer.Node?.Status, offer.Node is { } node ? NodeUptime.FromBps(node.Uptime24hBps, node.Uptime30dBps) : null);
}
