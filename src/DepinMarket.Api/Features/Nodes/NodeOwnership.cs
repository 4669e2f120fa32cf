using DepinMarket.Api.Data;
using DepinMarket.Domain;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Nodes;

/// <summary>An offer may name only a node of its own provider: another provider's node is "no such node" (it must not be confirmed).</summary>
public static class NodeOwnership
{
    public static async Task<Guid?> CheckAsync(MarketDbContext db, Guid providerId, Guid? nodeId, CancellationToken cancellationToken)
    {
        if (nodeId is not { } id)
        {
            return null;
        }
        var owned = await db.Nodes.AnyAsync(n => n.Id == id && n.ProviderId == providerId, cancellationToken);
        return owned ? id : throw ValidationFailedException.For("nodeId", $"this account has no node {id}; register one with POST /v1/nodes.");
    }
}
