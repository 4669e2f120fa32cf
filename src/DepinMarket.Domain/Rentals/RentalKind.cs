namespace DepinMarket.Domain.Rentals;

/// <summary>What is rented, and so how it is measured and billed. Stored as text ("compute").</summary>
public enum RentalKind
{
    /// <summary>GPUs × hours, billed per second of active time.</summary>
    Compute,
    /// <summary>Gigabytes × days, billed per GB-hour.</summary>
    Storage,
    /// <summary>A spend budget for a model endpoint, billed per token from the provider's usage reports.</summary>
    Model,
}
