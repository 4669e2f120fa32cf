using DepinMarket.Api.Data;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Validators;

/// <summary>
/// A validator's stake: the balance of its ledger account of kind <see cref="LedgerAccountKind.Stake"/>, the root of
/// its say as in Bittensor. The staking endpoints move tokens there; this only reads them.
/// </summary>
internal static class ValidatorStakes
{
    /// <summary>Each account's stake now; an account without ledger accounts yet has staked nothing (zero).</summary>
    public static async Task<IReadOnlyDictionary<Guid, TokenAmount>> ReadAsync(MarketDbContext db, IReadOnlyCollection<Guid> accountIds,
        CancellationToken cancellationToken)
    {
        var balances = await db.LedgerAccounts.AsNoTracking()
            .Where(l => l.Kind == LedgerAccountKind.Stake && l.AccountId != null && accountIds.Contains(l.AccountId.Value))
            .Select(l => new { AccountId = l.AccountId!.Value, l.Balance })
            .ToDictionaryAsync(l => l.AccountId, l => l.Balance, cancellationToken);
        // A stake account's balance is never negative (the ledger's CHECK): only the chain account's is.
        return accountIds.Distinct().ToDictionary(id => id, id => balances.TryGetValue(id, out var balance) ? balance.Magnitude : TokenAmount.Zero);
    }
}
