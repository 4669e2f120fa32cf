using DepinMarket.Domain.Rentals;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>Configuration section "Rentals".</summary>
public sealed class RentalOptions
{
    /// <summary>A pending rental the provider has not accepted by then expires, its escrow refunded.</summary>
    public TimeSpan AcceptWithin { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the metering worker charges active rentals and expires pending ones.</summary>
    public TimeSpan MeteringInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Rentals charged per database transaction by the metering worker.</summary>
    public int MeteringBatchSize { get; set; } = 500;

    /// <summary>Off in tests that drive metering by hand (<see cref="RentalMetering.RunOnceAsync"/>).</summary>
    public bool MeteringEnabled { get; set; } = true;

    public FeeOptions Fees { get; set; } = new();
}

/// <summary>Configuration section "Rentals:Fees", in basis points (25 = 0.25%); fixed per rental when it is created.</summary>
public sealed class FeeOptions
{
    /// <summary>Added to what the client pays (io.net charges both sides 0.25%).</summary>
    public int ClientReservationBps { get; set; } = 25;

    /// <summary>Taken from what the provider earns.</summary>
    public int ProviderReservationBps { get; set; } = 25;

    /// <summary>The platform's fee, taken from what the provider earns.</summary>
    public int PlatformBps { get; set; } = 200;

    /// <summary>The share of all fees collected that goes to the burn account (burned on chain by settlement).</summary>
    public int BurnShareBps { get; set; } = 2000;

    public FeeSchedule Schedule => new(ClientReservationBps, ProviderReservationBps, PlatformBps, BurnShareBps);
}
