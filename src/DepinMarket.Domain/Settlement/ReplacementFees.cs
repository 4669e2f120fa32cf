using System.Numerics;

namespace DepinMarket.Domain.Settlement;

/// <summary>
/// The fees of a transaction that replaces a stuck one with the same nonce: nodes (geth's txpool, anvil) take a
/// replacement only if both the fee cap and the tip are at least 10% higher; 12.5% (one eighth, rounded up) clears
/// that everywhere, and the node's current suggestion is taken when it is higher still.
/// </summary>
public static class ReplacementFees
{
    public static (BigInteger MaxFee, BigInteger Tip) Next(BigInteger maxFee, BigInteger tip, BigInteger suggestedMaxFee, BigInteger suggestedTip)
    {
        var bumpedTip = BigInteger.Max(Bump(tip), suggestedTip);
        var bumpedFee = BigInteger.Max(BigInteger.Max(Bump(maxFee), suggestedMaxFee), bumpedTip);
        return (bumpedFee, bumpedTip);
    }

    /// <summary>value × 1.125, rounded up, and at least value + 1 (a zero tip still rises).</summary>
    public static BigInteger Bump(BigInteger value) => BigInteger.Max(value + (value * 125 + 999) / 1000, value + 1);
}
