using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Offers;
using DepinMarket.Domain.Rentals;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>
/// A retired offer ends its open rentals: active ones are charged up to now, then terminated (offer_retired) with the
/// unused escrow refunded; pending ones are refunded in full. The rentals are locked before the offer row is written,
/// the order the metering worker takes them in (rentals, then offers), so the two never deadlock.
/// </summary>
internal sealed class RentalsOfRetiredOffers : IOfferRetirement
{
    public async Task RetiringAsync(MarketDbContext db, Guid offerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await db.Rentals
            .FromSql($"select *, xmin from rentals where offer_id = {offerId} and status in ('pending', 'active') order by id for update")
            .ToListAsync(cancellationToken);
        if (open.Count == 0)
        {
            return;
        }
        var work = new RentalWork(db, now);
        await work.LoadLivenessAsync(open, cancellationToken);
        foreach (var rental in open)
        {
            RentalMetering.MeterBeforeEnd(rental, work);
            rental.Terminate(RentalEndReason.OfferRetired, now);
            work.Ended(rental, RentalActor.Provider, $"the offer was retired; {rental.Refunded} tokens refunded", releaseCapacity: false);
        }
        await work.SaveAsync(cancellationToken);
    }
}
