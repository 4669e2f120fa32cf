using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;

namespace DepinMarket.Domain.Trust;

/// <summary>
/// What one outage during a rental is worth to its client: the seconds of it inside the rental (which are not
/// charged), the seconds of it beyond the grace period, and the credit for those, at the rental's rate.
/// <para>
/// Rounding: everything here is paid by the provider, so everything rounds its way, by the one rule of ADR 0008
/// (round down what moves; the payer keeps the fraction). Seconds are whole seconds, rounded down, as metering
/// counts them (<see cref="RentalPricing"/>); the credit is <see cref="TokenAmount.MulDiv"/> rounded down, so it is
/// exactly what metering would charge for <see cref="BeyondGraceSeconds"/> at the same rate, never a base unit more.
/// </para>
/// </summary>
/// <param name="OutageSeconds">The whole seconds of the outage inside the rental's span: not charged to the client.</param>
/// <param name="BeyondGraceSeconds">
/// <paramref name="OutageSeconds"/> less the grace period, never below zero: the grace runs from the outage's start
/// within the rental (or the rental's start, for an outage already going on when it began).
/// </param>
/// <param name="Credit">The rate × <paramref name="BeyondGraceSeconds"/> ÷ 3600, rounded down.</param>
public sealed record DowntimeCredit(long OutageSeconds, long BeyondGraceSeconds, TokenAmount Credit)
{
    public static DowntimeCredit None { get; } = new(0, 0, TokenAmount.Zero);

    /// <summary>
    /// The credit for <paramref name="outage"/> in a rental active over [<paramref name="rentalStart"/>,
    /// <paramref name="rentalEnd"/>) (the end, or now for a running rental) that costs <paramref name="ratePerHour"/>
    /// in total (for compute, the price per GPU-hour × the GPUs). An ongoing outage counts up to <paramref name="rentalEnd"/>.
    /// <para>
    /// One outage at a time, each with its own grace period: overlapping outages must be merged first
    /// (<see cref="Uptime.Merge"/> over the rental's span) or their overlap is credited twice.
    /// </para>
    /// </summary>
    /// <exception cref="ArgumentException">The rental ends before it starts, or the outage ends before it began.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative grace period.</exception>
    /// <exception cref="OverflowException">The credit is above 2^256-1 base units (an absurd rate).</exception>
    public static DowntimeCredit For(TokenAmount ratePerHour, DateTimeOffset rentalStart, DateTimeOffset rentalEnd, Outage outage, TimeSpan grace)
    {
        if (rentalEnd < rentalStart)
        {
            throw new ArgumentException($"A rental cannot end ({rentalEnd:O}) before it starts ({rentalStart:O}).", nameof(rentalEnd));
        }
        outage.ThrowIfInvalid(nameof(outage));
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);

        if (outage.ClippedTo(rentalStart, rentalEnd) is not { } inside)
        {
            return None;
        }
        var down = inside.EndWithin(rentalEnd) - inside.From;
        var beyondGrace = down > grace ? down - grace : TimeSpan.Zero;
        var beyondGraceSeconds = WholeSeconds(beyondGrace);
        return new DowntimeCredit(WholeSeconds(down), beyondGraceSeconds,
            ratePerHour.MulDiv(beyondGraceSeconds, RentalPricing.SecondsPerHour).Quotient);
    }

    private static long WholeSeconds(TimeSpan span) => span.Ticks / TimeSpan.TicksPerSecond;
}

/// <summary>
/// The penalty for downtime beyond grace, taken from the provider's stake: the credit × a multiplier in basis points
/// (12500 = 125% of the credit), so a provider pays more than the downtime was worth and an outage never pays off.
/// </summary>
public static class DowntimeSlash
{
    /// <summary>
    /// <paramref name="credit"/> × <paramref name="multiplierBps"/> ÷ 10000, rounded down (the provider pays, so the
    /// fraction stays with it). Taken from the rounded credit, so the slash a client sees is the credit shown × the multiplier.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative multiplier.</exception>
    /// <exception cref="OverflowException">The slash is above 2^256-1 base units.</exception>
    public static TokenAmount Of(TokenAmount credit, int multiplierBps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(multiplierBps);
        return credit.BasisPoints(multiplierBps).Quotient;
    }
}
