using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Rentals;

/// <summary>
/// The fees a rental pays, in basis points, fixed when it is created (a later change of configuration does not
/// reprice running rentals, and the cumulative rounding in <see cref="ChargeSplit"/> needs one rate throughout).
/// </summary>
/// <param name="ClientReservationBps">Added on top of the client's usage (io.net charges both sides 0.25%).</param>
/// <param name="ProviderReservationBps">Taken from the provider's share of the usage.</param>
/// <param name="PlatformBps">The platform's fee, taken from the provider's share of the usage.</param>
/// <param name="BurnShareBps">The share of all fees collected that goes to the burn account instead of fees.</param>
public sealed record FeeSchedule(int ClientReservationBps, int ProviderReservationBps, int PlatformBps, int BurnShareBps)
{
    public const int MaxBps = TokenAmount.BasisPointsPerWhole;

    /// <summary>The provider's two fees together must leave it something of each charge.</summary>
    /// <remarks>The sum is taken as a long: two large ints would wrap around to a negative sum that passes.</remarks>
    public bool IsValid =>
        ClientReservationBps is >= 0 and <= MaxBps && ProviderReservationBps >= 0 && PlatformBps >= 0
        && (long)ProviderReservationBps + PlatformBps < MaxBps && BurnShareBps is >= 0 and <= MaxBps;

    /// <summary>The client's reservation fee on <paramref name="usage"/>: what escrow holds on top of the price.</summary>
    public TokenAmount ClientFeeOn(TokenAmount usage) => usage.BasisPoints(ClientReservationBps).Quotient;
}
