using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Settlement;

/// <summary>Something owed to an account's wallet: its earnings, or one of its withdrawals.</summary>
public sealed record Payable(Guid AccountId, string Wallet, TokenAmount Amount, PayoutSource Source, Guid? WithdrawalId = null);

/// <summary>One batch as planned: the payables it carries and the recipient lines of its payout call.</summary>
public sealed record PlannedBatch(IReadOnlyList<Payable> Payables, IReadOnlyList<(string Wallet, TokenAmount Amount)> Recipients)
{
    public TokenAmount Total => TokenAmount.Sum(Recipients.Select(r => r.Amount));
}

/// <summary>
/// Cuts what is payable into batches of at most <c>maxRecipients</c> wallets (bounded by block gas, docs/PERFORMANCE.md),
/// with everything owed to one wallet summed into one line: a wallet is paid once per batch, and all that one wallet is
/// owed travels in the same batch. Wallets compare case-insensitively (checksummed or not, the same address).
/// </summary>
public static class PayoutPlan
{
    public static IReadOnlyList<PlannedBatch> Cut(IEnumerable<Payable> payables, int maxRecipients)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecipients, 1);
        var byWallet = payables.Where(p => !p.Amount.IsZero)
            .GroupBy(p => p.Wallet.ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return byWallet.Chunk(maxRecipients)
            .Select(chunk => new PlannedBatch(
                chunk.SelectMany(g => g).ToArray(),
                chunk.Select(g => (g.First().Wallet, TokenAmount.Sum(g.Select(p => p.Amount)))).ToArray()))
            .ToArray();
    }
}
