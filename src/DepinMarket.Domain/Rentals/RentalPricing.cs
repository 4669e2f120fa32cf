using System.Numerics;
using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Rentals;

/// <summary>
/// What usage costs, per kind, always rounded down (<see cref="TokenAmount.MulDiv"/>). The escrow for a term is the
/// usage of the whole term by the same formula, so metering the full term charges exactly the escrow.
/// </summary>
public static class RentalPricing
{
    public const int SecondsPerHour = 3600;

    /// <summary>Storage prices are per GB-month; a month is 30 days (720 hours), as storage networks bill.</summary>
    public const int HoursPerMonth = 720;

    public const int TokensPerPrice = 1_000_000;

    /// <summary>Compute: <paramref name="gpus"/> GPUs for <paramref name="seconds"/> seconds at a price per GPU-hour.</summary>
    public static TokenAmount Compute(TokenAmount pricePerGpuHour, long gpus, long seconds) =>
        pricePerGpuHour.MulDiv(new BigInteger(gpus) * seconds, SecondsPerHour).Quotient;

    /// <summary>Storage: <paramref name="gigabytes"/> GB for the whole hours in <paramref name="seconds"/> at a price per GB-month.</summary>
    public static TokenAmount Storage(TokenAmount pricePerGbMonth, long gigabytes, long seconds) =>
        pricePerGbMonth.MulDiv(new BigInteger(gigabytes) * GigabyteHours(1, seconds), HoursPerMonth).Quotient;

    /// <summary>The metered quantity of a storage rental: GB × whole hours.</summary>
    public static long GigabyteHours(long gigabytes, long seconds) => gigabytes * (seconds / SecondsPerHour);

    /// <summary>Model: tokens in and out at prices per million tokens, rounded down once for the whole request.</summary>
    public static TokenAmount Model(TokenAmount pricePerMillionInput, TokenAmount pricePerMillionOutput, long inputTokens, long outputTokens)
    {
        var total = (pricePerMillionInput.BaseUnits * inputTokens + pricePerMillionOutput.BaseUnits * outputTokens) / TokensPerPrice;
        // An offer priced near the token's maximum can cost more than any amount: the charge takes at most the budget left anyway.
        return total <= TokenAmount.MaxBaseUnits ? new TokenAmount(total) : TokenAmount.MaxValue;
    }
}
