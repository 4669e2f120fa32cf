using DepinMarket.Api.Features.Offers.Search;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Offers;
using static DepinMarket.Api.Hosting.OpenApiExamples;

namespace DepinMarket.Api.Features.Offers;

/// <summary>Offers of the three kinds (compute, storage, model), each with the same shape of API and search.</summary>
public static class OfferFeature
{
    public static WebApplicationBuilder AddOffers(this WebApplicationBuilder builder)
    {
        builder.ConfigureOpenApi(options => options.AddOperationTransformer<SearchDocumentationTransformer>());
        builder.AddOpenApiExamples(new Dictionary<Type, object>
        {
            [typeof(ComputeOfferRequest)] = new ComputeOfferRequest("H100", 8, 96, 1024, 4000, "DE", TokenAmount.Parse("2.5"), 1, 720,
                City: "Frankfurt", Publish: true),
            [typeof(ComputeOfferResponse)] = new ComputeOfferResponse(Values.Id, Values.Provider, OfferStatus.Active, "NVIDIA H100 80GB HBM3", "H100",
                8, 80, 96, 1024, 4000, "DE", "Frankfurt", TokenAmount.Parse("2.5"), 1, 720, 8, Values.Time, Values.Time),
            [typeof(StorageOfferRequest)] = new StorageOfferRequest(50_000, TokenAmount.Parse("0.002"), "NL", 3, 30, true, City: "Amsterdam", Publish: true),
            [typeof(StorageOfferResponse)] = new StorageOfferResponse(Values.Id, Values.Provider, OfferStatus.Active, 50_000, 50_000, TokenAmount.Parse("0.002"),
                "NL", "Amsterdam", 3, 30, true, Values.Time, Values.Time),
            [typeof(ModelOfferRequest)] = new ModelOfferRequest("meta-llama/Llama-3.1-8B-Instruct", Modality.Text, 131072, TokenAmount.Parse("0.05"), TokenAmount.Parse("0.08"),
                "https://inference.example.com/v1", 600, Publish: true),
            [typeof(ModelOfferResponse)] = new ModelOfferResponse(Values.Id, Values.Provider, OfferStatus.Active, "meta-llama/Llama-3.1-8B-Instruct",
                Modality.Text, 131072, TokenAmount.Parse("0.05"), TokenAmount.Parse("0.08"), "https://inference.example.com/v1", 600, Values.Time, Values.Time),
        });
        return builder;
    }

    public static WebApplication MapOffers(this WebApplication app)
    {
        OfferEndpoints<ComputeOffers, ComputeOffer, ComputeOfferRequest, ComputeOfferResponse>.Map(app);
        OfferEndpoints<StorageOffers, StorageOffer, StorageOfferRequest, StorageOfferResponse>.Map(app);
        OfferEndpoints<ModelOffers, ModelOffer, ModelOfferRequest, ModelOfferResponse>.Map(app);
        return app;
    }
}
