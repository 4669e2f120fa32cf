using DepinMarket.Api.Data;

namespace DepinMarket.Api.Features.Offers;

/// <summary>
/// Told when an offer is being retired, in the retiring transaction and before the offer row is written, so what
/// depends on the offer (its open rentals) ends with it or not at all. Registered by the features that care, so
/// Offers knows nothing of them.
/// </summary>
public interface IOfferRetirement
{
    Task RetiringAsync(MarketDbContext db, Guid offerId, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// How much of an offer's capacity other features hold (open rentals), so a provider editing the offer cannot make
/// held GPUs or gigabytes free again and hand them out twice.
/// </summary>
public interface IOfferCapacityHolds
{
    Task<long> HeldAsync(MarketDbContext db, Guid offerId, CancellationToken cancellationToken);
}
