using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Offers;

/// <summary>Disk capacity for rent by the GB-month.</summary>
public sealed class StorageOffer : Offer
{
    public long CapacityGb { get; private set; }

    public long AvailableGb { get; private set; }

    /// <summary>Price of one GB for one month (30 days).</summary>
    public TokenAmount PricePerGbMonth { get; private set; }

    public string CountryCode { get; private set; } = "";

    public string? City { get; private set; }

    public int ReplicationFactor { get; private set; }

    public int MinDurationDays { get; private set; }

    /// <summary>Whether the provider answers storage-proof challenges (a later issue checks them).</summary>
    public bool ProofsEnabled { get; private set; }

    public override (long Total, long Available, string Unit, string Field)? Capacity => (CapacityGb, AvailableGb, "GB", "availableGb");

    private StorageOffer()
    {
    }

    public static StorageOffer Create(Guid providerId, StorageTerms terms, bool publish, DateTimeOffset now)
    {
        var offer = new StorageOffer();
        offer.Open(providerId, publish, now);
        offer.Apply(terms);
        return offer;
    }

    public void Update(StorageTerms terms, DateTimeOffset now)
    {
        EnsureEditable(now);
        Apply(terms);
    }

    private void Apply(StorageTerms t)
    {
        CapacityGb = t.CapacityGb;
        AvailableGb = t.AvailableGb;
        PricePerGbMonth = t.PricePerGbMonth;
        CountryCode = t.Location.CountryCode;
        City = t.Location.City;
        ReplicationFactor = t.ReplicationFactor;
        MinDurationDays = t.MinDurationDays;
        ProofsEnabled = t.ProofsEnabled;
    }
}

public sealed record StorageTerms(
    long CapacityGb, long AvailableGb, TokenAmount PricePerGbMonth, Location Location, int ReplicationFactor,
    int MinDurationDays, bool ProofsEnabled)
{
    public static StorageTerms Parse(
        long capacityGb, long? availableGb, TokenAmount pricePerGbMonth, string? region, string? city,
        int replicationFactor, int minDurationDays, bool proofsEnabled)
    {
        var v = new Validation();
        v.InRange(capacityGb, 1, 100_000_000, "capacityGb");
        var available = availableGb ?? capacityGb;
        v.Require(available >= 0 && available <= capacityGb, "availableGb",
            $"must be between 0 and capacityGb ({capacityGb}); got {available}.");
        v.Positive(pricePerGbMonth, "pricePerGbMonth");
        var location = Location.Parse(v, region, city);
        v.InRange(replicationFactor, 1, 10, "replicationFactor");
        v.InRange(minDurationDays, 1, 3650, "minDurationDays");
        v.ThrowIfInvalid();
        return new StorageTerms(capacityGb, available, pricePerGbMonth, location, replicationFactor, minDurationDays, proofsEnabled);
    }
}
