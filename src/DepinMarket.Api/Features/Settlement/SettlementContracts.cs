using DepinMarket.Domain.Money;
using DepinMarket.Domain.Settlement;

namespace DepinMarket.Api.Features.Settlement;

/// <param name="Status">"settling" (in a batch on its way), "paid" (confirmed on chain), "returned" (the batch reverted; payable again).</param>
/// <param name="BatchStatus">Where its batch is: pending, stored (signed, in doubt), sent, confirmed or reverted.</param>
/// <param name="TransactionHash">The mined transaction, once there is one.</param>
/// <param name="Confirmations">Blocks on top of it and including it, when the node answers.</param>
/// <param name="ExplorerUrl">The transaction on a block explorer, when Settlement:ExplorerTransactionUrl is set.</param>
public sealed record PayoutResponse(Guid Id, Guid BatchId, TokenAmount Amount, PayoutSource Source, Guid? WithdrawalId, string Wallet,
    PayoutStatus Status, SettlementBatchStatus BatchStatus, string? TransactionHash, long? BlockNumber, long? Confirmations, string? ExplorerUrl,
    DateTimeOffset CreatedAt);

/// <summary>What is not paid yet, and why.</summary>
/// <param name="Earnings">Earnings waiting for the next run.</param>
/// <param name="MinimumPayout">Earnings below this wait until they reach it.</param>
/// <param name="Reason">Why the earnings are not in the next run, when they are not.</param>
public sealed record PayableSummary(TokenAmount Earnings, TokenAmount MinimumPayout, bool WalletVerified, string? Reason);

public sealed record PayoutPage(IReadOnlyList<PayoutResponse> Items, string? NextCursor, PayableSummary Payable);

/// <param name="MaxFeePerGas">Wei, as a decimal string (it can exceed a JSON number's precision).</param>
/// <param name="MaxPriorityFeePerGas">Wei, as a decimal string.</param>
public sealed record SettlementAttemptResponse(int Attempt, long Nonce, string TransactionHash, string MaxFeePerGas, string MaxPriorityFeePerGas,
    DateTimeOffset SignedAt, DateTimeOffset? BroadcastAt, int Broadcasts, string? LastError);

/// <param name="ChainBatchId">The bytes32 the vault's PayoutBatch/FeesBurned events and isBatchPaid name.</param>
public sealed record SettlementBatchResponse(Guid Id, string ChainBatchId, SettlementBatchKind Kind, SettlementBatchStatus Status, int RecipientCount,
    TokenAmount Total, DateTimeOffset CreatedAt, string? TransactionHash, long? BlockNumber, DateTimeOffset? SettledAt, long? JournalId,
    IReadOnlyList<SettlementAttemptResponse> Attempts);

public sealed record SettlementBatchPage(IReadOnlyList<SettlementBatchResponse> Items, string? NextCursor);

/// <param name="Settled">False when another instance holds the settlement lease (it settles; try later).</param>
public sealed record SettlementRunResponse(bool Settled, int BatchesOpened, int Payouts, TokenAmount Total, bool BurnOpened, int OpenBatches);
