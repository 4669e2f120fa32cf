using System.Numerics;

namespace DepinMarket.Domain.Money;

/// <summary>
/// Proportions of an amount (pro-rata charges, fees, refunds, splits) with one rounding rule everywhere:
/// round down, and hand back what rounding left over, so no base unit is created or lost.
/// </summary>
public readonly partial record struct TokenAmount
{
    /// <summary>10 000 basis points make the whole amount; 25 basis points are 0.25%.</summary>
    public const int BasisPointsPerWhole = 10_000;

    /// <summary>
    /// This amount × <paramref name="numerator"/> ÷ <paramref name="denominator"/>, rounded down, with the
    /// remainder of that division. The product is taken exactly (unbounded integers), so only the quotient
    /// must fit the token's range.
    /// <para>
    /// Rounding rule: the quotient is rounded down (towards zero; nothing here is negative) and
    /// <c>Quotient.BaseUnits × denominator + Remainder == BaseUnits × numerator</c> with
    /// <c>0 ≤ Remainder &lt; denominator</c>. The remainder is in units of 1/denominator of a base unit; a
    /// caller that must not lose it either keeps it for the next period or gives the difference to the other
    /// side (a pro-rata charge rounded down leaves the refund <c>amount - charge</c> rounded up), so the parts
    /// always sum back to the whole.
    /// </para>
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative numerator or a denominator that is not positive.</exception>
    /// <exception cref="OverflowException">The quotient is above 2^256-1 base units (a numerator larger than the denominator).</exception>
    public (TokenAmount Quotient, BigInteger Remainder) MulDiv(BigInteger numerator, BigInteger denominator)
    {
        if (numerator.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), numerator, $"MulDiv needs a numerator of zero or more; got {numerator}.");
        }
        if (denominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(denominator), denominator, $"MulDiv needs a positive denominator; got {denominator}.");
        }
        var quotient = BigInteger.DivRem(BaseUnits * numerator, denominator, out var remainder);
        return quotient <= MaxBaseUnits
            ? (new TokenAmount(quotient), remainder)
            : throw AboveMax("MulDiv", $"{this} × {numerator} ÷ {denominator}");
    }

    /// <summary>
    /// <paramref name="basisPoints"/> ten-thousandths of this amount (a fee of 25 basis points is 0.25%),
    /// rounded down with the remainder returned: <see cref="MulDiv"/> over <see cref="BasisPointsPerWhole"/>.
    /// </summary>
    public (TokenAmount Quotient, BigInteger Remainder) BasisPoints(int basisPoints) => MulDiv(basisPoints, BasisPointsPerWhole);

    /// <summary>
    /// Splits this amount into parts proportional to <paramref name="weights"/> whose sum is exactly this amount.
    /// <para>
    /// Rule: largest remainder (Hamilton's method). Every part first gets its share rounded down
    /// (<c>amount × weight ÷ total weight</c>); the base units still missing, fewer than the number of
    /// weights, then go one each to the parts whose rounding cut off the most, ties to the earlier part. So
    /// no part is ever more than one base unit from its exact share, a zero weight always gets zero, and the
    /// result depends only on the amount and the weights in order.
    /// </para>
    /// </summary>
    /// <exception cref="ArgumentException">No weights, a negative weight, or weights that are all zero.</exception>
    public TokenAmount[] Split(params ReadOnlySpan<BigInteger> weights)
    {
        var total = BigInteger.Zero;
        foreach (var weight in weights)
        {
            if (weight.Sign < 0)
            {
                throw new ArgumentException($"Split needs weights of zero or more; got {weight}.", nameof(weights));
            }
            total += weight;
        }
        if (total.IsZero)
        {
            throw new ArgumentException("Split needs at least one weight above zero.", nameof(weights));
        }

        var parts = new BigInteger[weights.Length];
        var cutOff = new BigInteger[weights.Length];
        var missing = BaseUnits;
        for (var i = 0; i < weights.Length; i++)
        {
            parts[i] = BigInteger.DivRem(BaseUnits * weights[i], total, out cutOff[i]);
            missing -= parts[i];
        }
        // Sum of the cut-off fractions is missing × total and each is below total, so missing < weights.Length.
        var order = Enumerable.Range(0, weights.Length).OrderByDescending(i => cutOff[i]).ThenBy(i => i);
        foreach (var i in order.Take((int)missing))
        {
            parts[i] += BigInteger.One;
        }
        return Array.ConvertAll(parts, p => new TokenAmount(p));
    }
}
