using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Trust;

/// <summary>
/// Where a slash of a provider's stake goes: a share to the client it failed, the rest burned (so slashing never pays
/// the platform, which would then profit from its providers' failures).
/// <para>
/// Rounding (ADR 0008): the client's share is rounded down and the burn takes the difference, so
/// <c>ToClient + ToBurn</c> is exactly what was taken and no base unit is created or lost.
/// </para>
/// </summary>
/// <param name="ToClient">What the client receives.</param>
/// <param name="ToBurn">What is burned.</param>
/// <param name="Shortfall">What the slash asked for beyond the stake (zero unless <see cref="Capped"/> cut it).</param>
public sealed record SlashSplit(TokenAmount ToClient, TokenAmount ToBurn, TokenAmount Shortfall)
{
    /// <summary>What leaves the stake: the client's part and the burn.</summary>
    public TokenAmount Taken => ToClient + ToBurn;

    /// <summary>
    /// Splits <paramref name="amount"/>: <paramref name="clientShareBps"/> ten-thousandths to the client (rounded down),
    /// the rest burned.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A client share outside 0 to 10000 basis points.</exception>
    public static SlashSplit Of(TokenAmount amount, int clientShareBps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(clientShareBps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(clientShareBps, TokenAmount.BasisPointsPerWhole);
        var toClient = amount.BasisPoints(clientShareBps).Quotient;
        return new SlashSplit(toClient, amount - toClient, TokenAmount.Zero);
    }

    /// <summary>
    /// Splits a slash of <paramref name="amount"/> from a stake of <paramref name="stake"/>: the whole slash when the
    /// stake covers it, else the whole stake, split in the same proportions, with what could not be taken reported as
    /// <see cref="Shortfall"/> (the caller decides whether it becomes a debt or is forgiven).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A client share outside 0 to 10000 basis points.</exception>
    public static SlashSplit Capped(TokenAmount amount, TokenAmount stake, int clientShareBps)
    {
        var taken = amount <= stake ? amount : stake;
        return Of(taken, clientShareBps) with { Shortfall = amount - taken };
    }
}
