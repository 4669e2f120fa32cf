using System.Numerics;

namespace DepinMarket.Chain.TransactionManagement;

/// <summary>EIP-1559 fees for one transaction (Nethereum: <c>Fee1559</c>). <see cref="BaseFee"/> is informational.</summary>
public sealed record Fee1559(BigInteger MaxFeePerGas, BigInteger MaxPriorityFeePerGas, BigInteger? BaseFee = null)
{
    /// <summary>
    /// Fees for a replacement transaction (same nonce): at least <paramref name="minimumIncreasePermille"/>/1000 above the
    /// previous fees on both fields (geth wants +10%; 12.5% clears every common node), and never below a fresh
    /// suggestion, so a replacement both gets accepted and catches up with a risen base fee.
    /// </summary>
    public static Fee1559 ForReplacement(Fee1559 previous, Fee1559 suggested, int minimumIncreasePermille = 125)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(suggested);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumIncreasePermille, 100);
        var tip = BigInteger.Max(suggested.MaxPriorityFeePerGas, Bump(previous.MaxPriorityFeePerGas, minimumIncreasePermille));
        var max = BigInteger.Max(suggested.MaxFeePerGas, Bump(previous.MaxFeePerGas, minimumIncreasePermille));
        return new Fee1559(BigInteger.Max(max, tip), tip, suggested.BaseFee);
    }

    // Rounds up, so a tiny fee (e.g. 1 wei) still grows.
    private static BigInteger Bump(BigInteger value, int permille) => ((value * (1000 + permille)) + 999) / 1000;
}
