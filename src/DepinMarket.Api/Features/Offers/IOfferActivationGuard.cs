using DepinMarket.Api.Data;
using DepinMarket.Domain.Offers;

namespace DepinMarket.Api.Features.Offers;

/// <summary>
/// A rule another feature sets on offers being listed (the stake that must back them): called in the request's
/// transaction whenever an offer is active after a change (created published, published, resumed, or its terms changed
/// while active), before the change is saved. Throws to refuse.
/// </summary>
public interface IOfferActivationGuard
{
    Task EnsureAllowedAsync(MarketDbContext db, Offer offer, CancellationToken cancellationToken);
}
