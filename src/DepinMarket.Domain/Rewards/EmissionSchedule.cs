using System.Numerics;
using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Rewards;

/// <summary>
/// How many tokens the network emits in each epoch: <see cref="InitialPerEpoch"/> in every epoch of the first month,
/// then each month's rate is the previous month's less <see cref="MonthlyDecayBps"/>, rounded down to the base unit
/// (io.net's monthly decay), until the total reaches <see cref="Cap"/> (Bittensor's hard cap). A month is
/// <see cref="EpochsPerMonth"/> epochs, so the schedule depends on the epoch number alone, never on a calendar.
/// <para>
/// Pure integer arithmetic in base units: anyone can recompute <see cref="EmissionFor"/> with a loop over months.
/// The total of the schedule never exceeds the cap: the epoch that would cross it gets only what was left, every
/// later epoch nothing.
/// </para>
/// </summary>
/// <param name="InitialPerEpoch">The rate of every epoch in month 0.</param>
/// <param name="MonthlyDecayBps">What each month's rate loses against the previous month's (102 = 1.02%); 0 keeps it constant.</param>
/// <param name="EpochsPerMonth">Epochs in one decay period (720 hourly epochs in 30 days).</param>
/// <param name="Cap">The most the schedule ever emits, over all epochs together.</param>
public sealed record EmissionSchedule(TokenAmount InitialPerEpoch, int MonthlyDecayBps, long EpochsPerMonth, TokenAmount Cap)
{
    public const int MaxBps = TokenAmount.BasisPointsPerWhole;

    public bool IsValid => MonthlyDecayBps is >= 0 and <= MaxBps && EpochsPerMonth > 0;

    /// <summary>The epoch's rate before the cap: month <c>epoch / EpochsPerMonth</c>'s rate.</summary>
    public TokenAmount RateFor(long epoch) => new(Walk(epoch).Rate);

    /// <summary>
    /// What the schedule emits in <paramref name="epoch"/>: its rate, but never more than the cap leaves after every
    /// earlier epoch (each also capped). Zero for every epoch once the cap is reached.
    /// </summary>
    public TokenAmount EmissionFor(long epoch)
    {
        var (rate, before) = Walk(epoch);
        var left = Cap.BaseUnits - BigInteger.Min(before, Cap.BaseUnits);
        return new TokenAmount(BigInteger.Min(rate, left));
    }

    /// <summary>What the schedule emitted in all epochs before <paramref name="epoch"/> together (at most the cap).</summary>
    public TokenAmount EmittedBefore(long epoch) => new(BigInteger.Min(Walk(epoch).Before, Cap.BaseUnits));

    /// <summary>The month's rate at <paramref name="epoch"/>, and the uncapped sum of every earlier epoch's rate.</summary>
    /// <remarks>
    /// One step per month. With a decay the rate falls by at least one base unit a month, so the loop ends once it
    /// reaches zero; without one the rest is a single multiplication. Either way an absurd epoch number cannot make
    /// it run for ever.
    /// </remarks>
    private (BigInteger Rate, BigInteger Before) Walk(long epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (!IsValid)
        {
            throw new InvalidOperationException($"The emission schedule is not valid: {this}.");
        }
        var month = epoch / EpochsPerMonth;
        var rate = InitialPerEpoch.BaseUnits;
        var before = BigInteger.Zero;
        for (long m = 0; m < month && !rate.IsZero; m++)
        {
            if (MonthlyDecayBps == 0)
            {
                before += rate * EpochsPerMonth * (month - m);
                break;
            }
            before += rate * EpochsPerMonth;
            rate = rate * (MaxBps - MonthlyDecayBps) / MaxBps;
        }
        before += rate * (epoch % EpochsPerMonth);
        return (rate, before);
    }
}
