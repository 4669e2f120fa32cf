using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Offers.Search;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Offers;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Offers;

/// <param name="CapacityGb">Total capacity offered, GB.</param>
/// <param name="AvailableGb">Capacity free now, GB; defaults to CapacityGb.</param>
/// <param name="PricePerGbMonth">Tokens per GB per 30 days, as a decimal string ("0.002").</param>
/// <param name="Region">ISO 3166-1 alpha-2 country code.</param>
/// <param name="ReplicationFactor">Copies kept of each object, 1 to 10.</param>
/// <param name="MinDurationDays">Shortest rental accepted, days.</param>
/// <param name="ProofsEnabled">Whether the provider answers storage-proof challenges.</param>
public sealed record StorageOfferRequest(
    long CapacityGb, TokenAmount PricePerGbMonth, string Region, int ReplicationFactor, int MinDurationDays, bool ProofsEnabled,
    long? AvailableGb = null, string? City = null, bool Publish = false, bool AutoAccept = false, Guid? NodeId = null) : IOfferRequest;

public sealed record StorageOfferResponse(
    Guid Id, Guid ProviderId, OfferStatus Status, long CapacityGb, long AvailableGb, TokenAmount PricePerGbMonth, string Region,
    string? City, int ReplicationFactor, int MinDurationDays, bool ProofsEnabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool AutoAccept = false, OfferReliability? Reliability = null)
    : IOfferResponse;

public sealed class StorageOffers : IOfferKind<StorageOffer, StorageOfferRequest, StorageOfferResponse>
{
    public static string Slug => "storage";

    public static string Noun => "storage offer";

    public static DbSet<StorageOffer> Table(MarketDbContext db) => db.StorageOffers;

    public static StorageOffer Create(Guid providerId, StorageOfferRequest r, DateTimeOffset now) =>
        StorageOffer.Create(providerId, Terms(r), r.Publish, now);

    public static void Update(StorageOffer offer, StorageOfferRequest r, DateTimeOffset now) => offer.Update(Terms(r), now);

    private static StorageTerms Terms(StorageOfferRequest r) => StorageTerms.Parse(
        r.CapacityGb, r.AvailableGb, r.PricePerGbMonth, r.Region, r.City, r.ReplicationFactor, r.MinDurationDays, r.ProofsEnabled);

    public static StorageOfferResponse ToResponse(StorageOffer o) => new(
        o.Id, o.ProviderId, o.Status, o.CapacityGb, o.AvailableGb, o.PricePerGbMonth, o.CountryCode,
        o.City, o.ReplicationFactor, o.MinDurationDays, o.ProofsEnabled, o.CreatedAt, o.UpdatedAt, o.AutoAccept, OfferReliability.Of(o));

    public static SearchSchema<StorageOffer> Search { get; } = new()
    {
        Noun = "storage offer",
        Filters =
        [
            Filter.AtLeast<StorageOffer>("minAvailableGb", o => o.AvailableGb, "At least this much free capacity, GB.", "1000"),
            Filter.AtMostAmount<StorageOffer>("maxPricePerGbMonth", o => o.PricePerGbMonth, "At most this price per GB-month, tokens.", "0.01"),
            Filter.EqualTo<StorageOffer, string>("region", o => o.CountryCode, ComputeOffers.NormaliseCountry, "ISO 3166-1 alpha-2 country code.", "DE"),
            Filter.AtLeast<StorageOffer>("minReplication", o => o.ReplicationFactor, "At least this replication factor.", "3"),
            Filter.IsTrue<StorageOffer>("proofs", o => o.ProofsEnabled, "true: only providers that answer storage-proof challenges."),
            .. TrustSearch.Filters<StorageOffer>(),
        ],
        Sorts = new Dictionary<string, SortOrder<StorageOffer>>(TrustSearch.Sorts<StorageOffer>(o => o.PricePerGbMonth))
        {
            ["price"] = SortOrder.CheapestFirst<StorageOffer>(o => o.PricePerGbMonth, "Cheapest per GB-month first."),
            ["newest"] = SortOrder.NewestFirst<StorageOffer>(),
        },
        DefaultSort = "price",
    };
}
