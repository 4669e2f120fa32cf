using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Offers;

/// <summary>GPUs for rent by the hour: one node's worth of identical GPUs.</summary>
public sealed class ComputeOffer : Offer
{
    public string GpuModel { get; private set; } = "";

    /// <summary>Canonical short name (<see cref="GpuCatalog"/>) that search filters on.</summary>
    public string GpuShortName { get; private set; } = "";

    public int GpuCount { get; private set; }

    public int VramGbPerGpu { get; private set; }

    public int CpuCores { get; private set; }

    public int RamGb { get; private set; }

    public int DiskGb { get; private set; }

    public string CountryCode { get; private set; } = "";

    public string? City { get; private set; }

    /// <summary>Price of one GPU for one hour.</summary>
    public TokenAmount PricePerGpuHour { get; private set; }

    public int MinHours { get; private set; }

    public int MaxHours { get; private set; }

    public int GpusAvailable { get; private set; }

    public override (long Total, long Available, string Unit, string Field)? Capacity => (GpuCount, GpusAvailable, "GPUs", "gpusAvailable");

    private ComputeOffer()
    {
    }

    public static ComputeOffer Create(Guid providerId, ComputeTerms terms, bool publish, DateTimeOffset now)
    {
        var offer = new ComputeOffer();
        offer.Open(providerId, publish, now);
        offer.Apply(terms);
        return offer;
    }

    public void Update(ComputeTerms terms, DateTimeOffset now)
    {
        EnsureEditable(now);
        Apply(terms);
    }

    private void Apply(ComputeTerms t)
    {
        GpuModel = t.Gpu.FullName;
        GpuShortName = t.Gpu.ShortName;
        GpuCount = t.GpuCount;
        VramGbPerGpu = t.VramGbPerGpu;
        CpuCores = t.CpuCores;
        RamGb = t.RamGb;
        DiskGb = t.DiskGb;
        CountryCode = t.Location.CountryCode;
        City = t.Location.City;
        PricePerGpuHour = t.PricePerGpuHour;
        MinHours = t.MinHours;
        MaxHours = t.MaxHours;
        GpusAvailable = t.GpusAvailable;
    }
}

/// <summary>The validated, normalised terms of a compute offer.</summary>
public sealed record ComputeTerms(
    GpuModel Gpu, int GpuCount, int VramGbPerGpu, int CpuCores, int RamGb, int DiskGb, Location Location,
    TokenAmount PricePerGpuHour, int MinHours, int MaxHours, int GpusAvailable)
{
    public const int MaxGpusPerNode = 64;
    public const int HoursPerYear = 8760;

    /// <summary>Validates every field at once; throws <see cref="ValidationFailedException"/> naming each bad one.</summary>
    public static ComputeTerms Parse(
        string? gpuModel, int gpuCount, int? vramGbPerGpu, int cpuCores, int ramGb, int diskGb, string? region,
        string? city, TokenAmount pricePerGpuHour, int minHours, int maxHours, int? gpusAvailable)
    {
        var v = new Validation();
        if (!GpuCatalog.TryNormalise(gpuModel, out var gpu))
        {
            v.Add("gpuModel", $"\"{gpuModel}\" is not a GPU model we know; known models: {GpuCatalog.KnownShortNames}.");
        }
        v.InRange(gpuCount, 1, MaxGpusPerNode, "gpuCount");
        var vram = vramGbPerGpu ?? gpu?.VramGb ?? 0;
        if (vramGbPerGpu is not null || gpu is not null)
        {
            // Without a known model there is no default to check; the gpuModel error already says what to fix.
            v.InRange(vram, 1, 1024, "vramGbPerGpu");
        }
        v.InRange(cpuCores, 1, 1024, "cpuCores");
        v.InRange(ramGb, 1, 65536, "ramGb");
        v.InRange(diskGb, 1, 1_000_000, "diskGb");
        var location = Location.Parse(v, region, city);
        v.Positive(pricePerGpuHour, "pricePerGpuHour");
        v.InRange(minHours, 1, HoursPerYear, "minHours");
        v.InRange(maxHours, 1, HoursPerYear, "maxHours");
        v.Require(maxHours >= minHours, "maxHours", $"must be at least minHours ({minHours}); got {maxHours}.");
        var available = gpusAvailable ?? gpuCount;
        v.Require(available >= 0 && available <= gpuCount, "gpusAvailable",
            $"must be between 0 and gpuCount ({gpuCount}); got {available}.");
        v.ThrowIfInvalid();
        return new ComputeTerms(gpu!, gpuCount, vram, cpuCores, ramGb, diskGb, location, pricePerGpuHour, minHours, maxHours, available);
    }
}
