using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Offers;
using DepinMarket.Domain.Rentals;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>The GPUs or gigabytes an offer's open rentals hold, for the offer editor's check.</summary>
internal sealed class RentalCapacityHolds : IOfferCapacityHolds
{
    public Task<long> HeldAsync(MarketDbContext db, Guid offerId, CancellationToken cancellationToken) =>
        db.Rentals.Where(r => r.OfferId == offerId && (r.Status == RentalStatus.Pending || r.Status == RentalStatus.Active))
            .SumAsync(r => r.Quantity, cancellationToken);
}
