using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Offers.Search;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Offers;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Offers;

/// <param name="ModelId">"organisation/model", e.g. "meta-llama/Llama-3.1-8B-Instruct".</param>
/// <param name="Modality">text, image, audio or embedding.</param>
/// <param name="ContextLength">Maximum context, tokens.</param>
/// <param name="PricePerMillionInputTokens">Tokens (the currency) per million input tokens, decimal string.</param>
/// <param name="PricePerMillionOutputTokens">Per million output tokens; may be "0" for embeddings.</param>
/// <param name="EndpointUrl">The https:// inference endpoint.</param>
/// <param name="RequestsPerMinute">The provider's rate limit for one client.</param>
public sealed record ModelOfferRequest(
    string ModelId, Modality Modality, int ContextLength, TokenAmount PricePerMillionInputTokens, TokenAmount PricePerMillionOutputTokens,
    string EndpointUrl, int RequestsPerMinute, bool Publish = false, bool AutoAccept = false, Guid? NodeId = null) : IOfferRequest;

public sealed record ModelOfferResponse(
    Guid Id, Guid ProviderId, OfferStatus Status, string ModelId, Modality Modality, int ContextLength,
    TokenAmount PricePerMillionInputTokens, TokenAmount PricePerMillionOutputTokens, string EndpointUrl, int RequestsPerMinute,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool AutoAccept = false, OfferReliability? Reliability = null) : IOfferResponse;

public sealed class ModelOffers : IOfferKind<ModelOffer, ModelOfferRequest, ModelOfferResponse>
{
    public static string Slug => "model";

    public static string Noun => "model offer";

    public static DbSet<ModelOffer> Table(MarketDbContext db) => db.ModelOffers;

    public static ModelOffer Create(Guid providerId, ModelOfferRequest r, DateTimeOffset now) =>
        ModelOffer.Create(providerId, Terms(r), r.Publish, now);

    public static void Update(ModelOffer offer, ModelOfferRequest r, DateTimeOffset now) => offer.Update(Terms(r), now);

    private static ModelTerms Terms(ModelOfferRequest r) => ModelTerms.Parse(
        r.ModelId, r.Modality, r.ContextLength, r.PricePerMillionInputTokens, r.PricePerMillionOutputTokens, r.EndpointUrl, r.RequestsPerMinute);

    public static ModelOfferResponse ToResponse(ModelOffer o) => new(
        o.Id, o.ProviderId, o.Status, o.ModelId, o.Modality, o.ContextLength, o.PricePerMillionInputTokens,
        o.PricePerMillionOutputTokens, o.EndpointUrl, o.RequestsPerMinute, o.CreatedAt, o.UpdatedAt, o.AutoAccept, OfferReliability.Of(o));

    public static SearchSchema<ModelOffer> Search { get; } = new()
    {
        Noun = "model offer",
        Filters =
        [
            Filter.EqualTo<ModelOffer, string>("model", o => o.ModelId, text => text.Trim(), "Exact model id.", "meta-llama/Llama-3.1-8B-Instruct"),
            Filter.EqualTo<ModelOffer, Modality>("modality", o => o.Modality, ParseModality, "text, image, audio or embedding.", "text"),
            Filter.AtLeast<ModelOffer>("minContextLength", o => o.ContextLength, "At least this context length, tokens.", "32000"),
            Filter.AtMostAmount<ModelOffer>("maxPricePerMillionInputTokens", o => o.PricePerMillionInputTokens, "At most this input price, tokens per million.", "0.2"),
            Filter.AtMostAmount<ModelOffer>("maxPricePerMillionOutputTokens", o => o.PricePerMillionOutputTokens, "At most this output price, tokens per million.", "0.6"),
            .. TrustSearch.Filters<ModelOffer>(),
        ],
        Sorts = new Dictionary<string, SortOrder<ModelOffer>>(TrustSearch.Sorts<ModelOffer>(o => o.PricePerMillionInputTokens))
        {
            ["price"] = SortOrder.CheapestFirst<ModelOffer>(o => o.PricePerMillionInputTokens, "Cheapest per million input tokens first."),
            ["newest"] = SortOrder.NewestFirst<ModelOffer>(),
        },
        DefaultSort = "price",
    };

    private static Modality ParseModality(string text) =>
        Filter.TryParseName<Modality>(text, out var modality)
            ? modality
            : throw new FilterValueException($"must be one of text, image, audio, embedding; got \"{text}\".");
}
