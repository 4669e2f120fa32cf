using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Features.Withdrawals;

/// <param name="Amount">Whole tokens to pay out to the verified wallet, a decimal string ("2.5"), more than zero.</param>
public sealed record WithdrawalRequest(TokenAmount Amount);

/// <param name="Status">"requested" (cancellable), "cancelled", "batched" (in a payout batch), "paid".</param>
/// <param name="WalletAddress">Where the tokens go: the account's verified wallet when it asked.</param>
/// <param name="JournalId">The ledger journal that moved the tokens from available to settling.</param>
public sealed record WithdrawalResponse(Guid Id, TokenAmount Amount, string WalletAddress, WithdrawalStatus Status,
    DateTimeOffset RequestedAt, DateTimeOffset? CancelledAt, long JournalId, long? CancelJournalId)
{
    public static WithdrawalResponse From(Withdrawal w) =>
        new(w.Id, w.Amount, w.WalletAddress, w.Status, w.RequestedAt, w.CancelledAt, w.RequestJournalId, w.CancelJournalId);
}
