using System.ComponentModel.DataAnnotations;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Offers.Search;
using DepinMarket.Domain.Geography;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Offers;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Offers;

/// <param name="GpuModel">Any common spelling ("H100", "NVIDIA H100 80GB HBM3", "RTX 4090"); stored normalised.</param>
/// <param name="GpuCount">GPUs in the node, 1 to 64.</param>
/// <param name="VramGbPerGpu">VRAM per GPU in GB; defaults to the model's standard size.</param>
/// <param name="Region">ISO 3166-1 alpha-2 country code, e.g. "DE".</param>
/// <param name="PricePerGpuHour">Tokens per GPU per hour, as a decimal string ("2.5"), at most 18 decimals.</param>
/// <param name="GpusAvailable">GPUs free to rent now; defaults to GpuCount.</param>
public sealed record ComputeOfferRequest(
    string GpuModel,
    [property: Range(1, ComputeTerms.MaxGpusPerNode)] int GpuCount,
    int CpuCores,
    int RamGb,
    int DiskGb,
    string Region,
    TokenAmount PricePerGpuHour,
    [property: Range(1, ComputeTerms.HoursPerYear)] int MinHours,
    [property: Range(1, ComputeTerms.HoursPerYear)] int MaxHours,
    int? VramGbPerGpu = null,
    string? City = null,
    int? GpusAvailable = null,
    bool Publish = false, bool AutoAccept = false, Guid? NodeId = null) : IOfferRequest;

public sealed record ComputeOfferResponse(
    Guid Id, Guid ProviderId, OfferStatus Status, string GpuModel, string GpuShortName, int GpuCount, int VramGbPerGpu,
    int CpuCores, int RamGb, int DiskGb, string Region, string? City, TokenAmount PricePerGpuHour, int MinHours, int MaxHours,
    int GpusAvailable, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool AutoAccept = false, OfferReliability? Reliability = null) : IOfferResponse;

public sealed class ComputeOffers : IOfferKind<ComputeOffer, ComputeOfferRequest, ComputeOfferResponse>
{
    public static string Slug => "compute";

    public static string Noun => "compute offer";

    public static DbSet<ComputeOffer> Table(MarketDbContext db) => db.ComputeOffers;

    public static ComputeOffer Create(Guid providerId, ComputeOfferRequest r, DateTimeOffset now) =>
        ComputeOffer.Create(providerId, Terms(r), r.Publish, now);

    public static void Update(ComputeOffer offer, ComputeOfferRequest r, DateTimeOffset now) => offer.Update(Terms(r), now);

    private static ComputeTerms Terms(ComputeOfferRequest r) => ComputeTerms.Parse(
        r.GpuModel, r.GpuCount, r.VramGbPerGpu, r.CpuCores, r.RamGb, r.DiskGb, r.Region, r.City, r.PricePerGpuHour,
        r.MinHours, r.MaxHours, r.GpusAvailable);

    public static ComputeOfferResponse ToResponse(ComputeOffer o) => new(
        o.Id, o.ProviderId, o.Status, o.GpuModel, o.GpuShortName, o.GpuCount, o.VramGbPerGpu, o.CpuCores, o.RamGb, o.DiskGb,
        o.CountryCode, o.City, o.PricePerGpuHour, o.MinHours, o.MaxHours, o.GpusAvailable,
        o.CreatedAt, o.UpdatedAt, o.AutoAccept, OfferReliability.Of(o));

    public static SearchSchema<ComputeOffer> Search { get; } = new()
    {
        Noun = "compute offer",
        Filters =
        [
            Filter.EqualTo<ComputeOffer, string>("gpu", o => o.GpuShortName, NormaliseGpu,
                "GPU model, any common spelling (H100, \"RTX 4090\", \"NVIDIA H100 80GB HBM3\").", "H100"),
            Filter.AtLeast<ComputeOffer>("minGpus", o => o.GpusAvailable, "At least this many GPUs free now.", "4"),
            Filter.AtLeast<ComputeOffer>("minVramGb", o => o.VramGbPerGpu, "At least this much VRAM per GPU, GB.", "80"),
            Filter.AtMostAmount<ComputeOffer>("maxPricePerGpuHour", o => o.PricePerGpuHour, "At most this price per GPU-hour, tokens.", "2.5"),
            Filter.EqualTo<ComputeOffer, string>("region", o => o.CountryCode, NormaliseCountry, "ISO 3166-1 alpha-2 country code.", "DE"),
            Filter.AtLeast<ComputeOffer>("minCpuCores", o => o.CpuCores, "At least this many CPU cores.", "32"),
            Filter.AtLeast<ComputeOffer>("minRamGb", o => o.RamGb, "At least this much RAM, GB.", "256"),
            Filter.AtLeast<ComputeOffer>("minDiskGb", o => o.DiskGb, "At least this much disk, GB.", "1000"),
            Filter.AtLeast<ComputeOffer>("minRentalHours", o => o.MaxHours, "Offers that can be rented for at least this many hours.", "24"),
            .. TrustSearch.Filters<ComputeOffer>(),
        ],
        Sorts = new Dictionary<string, SortOrder<ComputeOffer>>(TrustSearch.Sorts<ComputeOffer>(o => o.PricePerGpuHour))
        {
            ["price"] = SortOrder.CheapestFirst<ComputeOffer>(o => o.PricePerGpuHour, "Cheapest per GPU-hour first."),
            ["newest"] = SortOrder.NewestFirst<ComputeOffer>(),
        },
        DefaultSort = "price",
    };

    internal static string NormaliseGpu(string text) => GpuCatalog.TryNormalise(text, out var gpu)
        ? gpu.ShortName
        : throw new FilterValueException($"\"{text}\" is not a GPU model we know; known models: {GpuCatalog.KnownShortNames}.");

    internal static string NormaliseCountry(string text) => CountryCodes.TryNormalise(text, out var code)
        ? code
        : throw new FilterValueException($"must be an ISO 3166-1 alpha-2 country code such as \"DE\"; got \"{text}\".");
}
