namespace DepinMarket.Api.Features.Offers;

public static class OfferRoutes
{
    /// <summary>The three kinds of offer, each with the same shape of API.</summary>
    public static IEndpointRouteBuilder MapOffers(this IEndpointRouteBuilder app)
    {
        OfferEndpoints<ComputeOffers, Domain.Offers.ComputeOffer, ComputeOfferRequest, ComputeOfferResponse>.Map(app);
        OfferEndpoints<StorageOffers, Domain.Offers.StorageOffer, StorageOfferRequest, StorageOfferResponse>.Map(app);
        OfferEndpoints<ModelOffers, Domain.Offers.ModelOffer, ModelOfferRequest, ModelOfferResponse>.Map(app);
        return app;
    }
}
