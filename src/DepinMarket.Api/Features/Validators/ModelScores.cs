using DepinMarket.Api.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace DepinMarket.Api.Features.Validators;

/// <summary>The validators' consensus as other features read it (reputation's model score).</summary>
public static class ModelScores
{
    private sealed record ProviderScore(Guid ProviderId, double Quality);

    /// <summary>
    /// Each provider's model score, 0 to 1: the mean, over its model offers, of each offer's consensus quality in the
    /// latest closed epoch that scored it. Per offer rather than the single latest epoch, so an epoch in which
    /// validators happened not to reach an offer does not wipe its score; a plain latest value rather than an average
    /// over epochs, so a provider that fixes its model is credited at the next close (the consensus is already robust
    /// to a dishonest minority; smoothing would only delay the truth). Withdrawn offers count: retiring an offer does
    /// not hide its score. Offers only validators without weight scored have no consensus and are left out.
    /// </summary>
    /// <param name="providerIds">The providers to answer for; null: every provider with a score.</param>
    /// <returns>A score for each provider with at least one scored model offer; the others are absent (no score yet).</returns>
    public static async Task<IReadOnlyDictionary<Guid, double>> LatestByProviderAsync(MarketDbContext db, IReadOnlyCollection<Guid>? providerIds = null,
        CancellationToken cancellationToken = default)
    {
        var providers = new NpgsqlParameter("providers", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = (object?)providerIds?.Distinct().ToArray() ?? DBNull.Value };
        // Per offer, its newest result with a consensus (the index on offer and epoch, newest first, finds it at once).
        var scores = await db.Database.SqlQueryRaw<ProviderScore>("""
            select o.provider_id as "ProviderId", avg(latest.quality) as "Quality"
            from model_offers o
            cross join lateral (
                select r.quality from model_score_results r
                where r.offer_id = o.id and r.quality is not null
                order by r.epoch desc limit 1) latest
            where @providers is null or o.provider_id = any(@providers)
            group by o.provider_id
            """, providers).ToListAsync(cancellationToken);
        return scores.ToDictionary(s => s.ProviderId, s => Math.Clamp(s.Quality, 0, 1));
    }
}
