using DepinMarket.Api.Features.Nodes;
using DepinMarket.Domain.Nodes;
using DepinMarket.Domain.Offers;

namespace DepinMarket.Api.Features.Offers;

/// <summary>
/// What the record says of an offer's reliability, shown beside its terms so a client can weigh price against it: the
/// node behind it (status, uptime) and its provider's reputation. Null when neither is known (no node, never scored).
/// </summary>
/// <param name="NodeId">The node serving the offer; null: nobody monitors it.</param>
/// <param name="NodeStatus">Search lists only offers whose node is up; the offer's own page shows the rest too.</param>
/// <param name="Uptime">The node's uptime over the last 24 hours and 30 days; null before its first heartbeat.</param>
/// <param name="Reputation">The provider's reputation 0 to 100 as last refreshed (GET /v1/providers/{id}/reputation has its parts).</param>
public sealed record OfferReliability(Guid? NodeId, NodeStatus? NodeStatus, NodeUptime? Uptime, decimal? Reputation = null)
{
    /// <summary>From the offer's node and provider when the query loaded them.</summary>
    public static OfferReliability? Of(Offer offer)
    {
        var reputation = offer.Provider?.Standing?.Score;
        if (offer.NodeId is null && reputation is null)
        {
            return null;
        }
        return new OfferReliability(offer.NodeId, offer.Node?.Status,
            offer.Node is { } node ? NodeUptime.FromBps(node.Uptime24hBps, node.Uptime30dBps) : null, reputation);
    }
}
