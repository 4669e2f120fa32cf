using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Rentals;

/// <summary>
/// How one charge (the usage accrued since the last one) is divided: the client's escrow pays the usage and the
/// client's reservation fee; the provider earns the usage less the platform fee and its reservation fee; the fees
/// collected go to the fees account, less the burn share.
/// <para>
/// Every part is computed on the rental's cumulative usage and the charge takes the difference
/// (<c>part(total after) - part(total before)</c>), so rounding down never drifts: after any number of charges the
/// parts are exactly what one charge of the whole usage would give, and a term charged in full takes exactly what
/// was escrowed for it. Each part only grows with usage, so no difference is negative, and neither is what the
/// provider keeps: its two fees are rounded down once, together (a rate below 100%), and then shared between them.
/// Rounded apart, a step of one base unit of usage can round both fees up and take two.
/// </para>
/// </summary>
public sealed record ChargeSplit(
    TokenAmount Usage, TokenAmount ClientFee, TokenAmount PlatformFee, TokenAmount ProviderFee, TokenAmount Burn)
{
    /// <summary>What leaves the client's escrow: the usage and the client's fee.</summary>
    public TokenAmount FromEscrow => Usage + ClientFee;

    /// <summary>What the provider earns.</summary>
    public TokenAmount ProviderEarnings => Usage - PlatformFee - ProviderFee;

    /// <summary>What the platform keeps in its fees account (all fees but the burn share).</summary>
    public TokenAmount ToFees => ClientFee + PlatformFee + ProviderFee - Burn;

    public bool IsZero => FromEscrow.IsZero;

    /// <summary>The charge that takes cumulative usage from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static ChargeSplit Between(FeeSchedule fees, TokenAmount before, TokenAmount after)
    {
        if (after < before)
        {
            throw new ArgumentException($"Usage only grows; {after} is below {before}.", nameof(after));
        }
        var from = Cumulative(fees, before);
        var to = Cumulative(fees, after);
        return new ChargeSplit(to.Usage - from.Usage, to.ClientFee - from.ClientFee, to.PlatformFee - from.PlatformFee,
            to.ProviderFee - from.ProviderFee, to.Burn - from.Burn);
    }

    /// <summary>The parts of one charge of the whole <paramref name="usage"/>.</summary>
    public static ChargeSplit Cumulative(FeeSchedule fees, TokenAmount usage)
    {
        var client = fees.ClientFeeOn(usage);
        var providerSideBps = fees.PlatformBps + fees.ProviderReservationBps;
        var providerSide = usage.BasisPoints(providerSideBps).Quotient;
        // The platform's share of the provider's fees rounded down, the reservation fee the rest: both grow with usage.
        var platform = providerSideBps == 0 ? TokenAmount.Zero : providerSide.MulDiv(fees.PlatformBps, providerSideBps).Quotient;
        var provider = providerSide - platform;
        var burn = (client + providerSide).BasisPoints(fees.BurnShareBps).Quotient;
        return new ChargeSplit(usage, client, platform, provider, burn);
    }
}
