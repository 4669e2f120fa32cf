using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Features.DepositWatcher;

/// <summary>
/// One vault deposit as the watcher saw it. Status: "confirming" (Confirmations of RequiredConfirmations so far),
/// "seen" (confirmed, being credited), "credited", "held" (in suspense: the reference named no account), "dropped"
/// (a reorganisation removed it; never credited).
/// </summary>
public sealed record WatchedDeposit(long Id, string Status, int Confirmations, int RequiredConfirmations, TokenAmount Amount,
    string TransactionHash, int LogIndex, long BlockNumber, string From, string Reference, Guid? AccountId, long? JournalId,
    DateTimeOffset SeenAt, DateTimeOffset? CreditedAt);

/// <summary>The account a held deposit belongs to.</summary>
public sealed record AssignDepositRequest(Guid? AccountId);

/// <summary>The data of a "deposit.credited" webhook: the vault deposit and the ledger journal that credited it.</summary>
public sealed record DepositCreditedData(string TransactionHash, int LogIndex, long BlockNumber, string From, TokenAmount Amount, long JournalId);
