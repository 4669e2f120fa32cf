namespace DepinMarket.Domain.Offers;

/// <summary>Where an offer is in its life. Only <see cref="Active"/> offers are found by search.</summary>
public enum OfferStatus
{
    /// <summary>Being prepared by its provider; visible to the provider only.</summary>
    Draft,
    /// <summary>Listed: found by search and rentable.</summary>
    Active,
    /// <summary>Temporarily hidden by its provider; can be resumed.</summary>
    Paused,
    /// <summary>Withdrawn for good; kept for the record, never listed or edited again.</summary>
    Retired,
}
