using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Offers.Search;
using DepinMarket.Domain.Offers;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Offers;

/// <summary>
/// What makes one kind of offer (compute, storage, model) different from the others: its table, how a
/// request becomes terms, how an offer is shown, and what search accepts. Everything else (ownership,
/// lifecycle, ETags, paging) is shared in <see cref="OfferEndpoints{TKind, TOffer, TRequest, TResponse}"/>.
/// </summary>
public interface IOfferKind<TOffer, TRequest, TResponse>
    where TOffer : Offer
    where TRequest : IOfferRequest
{
    /// <summary>Route segment and operation-name stem: "compute" → /v1/offers/compute, "CreateComputeOffer".</summary>
    static abstract string Slug { get; }

    /// <summary>For messages: "compute offer".</summary>
    static abstract string Noun { get; }

    static abstract DbSet<TOffer> Table(MarketDbContext db);

    static abstract TOffer Create(Guid providerId, TRequest request, DateTimeOffset now);

    static abstract void Update(TOffer offer, TRequest request, DateTimeOffset now);

    static abstract TResponse ToResponse(TOffer offer);

    static abstract SearchSchema<TOffer> Search { get; }
}

/// <summary>Every create/update request can ask for the offer to be listed at once.</summary>
public interface IOfferRequest
{
    /// <summary>On create: true lists the offer at once; false (default) keeps it a draft. Ignored on update.</summary>
    bool Publish { get; }

    /// <summary>True: a rental of this offer is accepted at once (the provider attaches access details later with
    /// PUT /v1/rentals/{id}/access); false (default): the provider accepts or declines each rental.</summary>
    bool AutoAccept { get; }

    /// <summary>The node (POST /v1/nodes) that serves the offer: while it is down the offer is hidden from search and
    /// its renters are not charged. Omit it for an offer nobody monitors (search shows no uptime for it).</summary>
    Guid? NodeId { get; }
}

/// <summary>The part of every offer's response that is not its terms.</summary>
public interface IOfferResponse
{
    Guid Id { get; }
}
