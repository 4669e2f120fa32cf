using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Features.Webhooks;
using DepinMarket.Chain.Rpc;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Settlement;
using DepinMarket.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Settlement;

/// <summary>The data of a "payout.paid" webhook.</summary>
public sealed record PayoutPaidData(Guid PayoutId, Guid BatchId, TokenAmount Amount, PayoutSource Source, Guid? WithdrawalId, string Wallet,
    string TransactionHash, long BlockNumber);

/// <summary>
/// What a mined batch does to the ledger, in one fenced transaction, and only once its receipt has the configured
/// confirmations. Confirmed: the money leaves settling for the chain account (a burn leaves the burn account), payouts
/// and withdrawals are paid, each account hears of it (payout.paid, with the tx hash). Reverted: earnings go back from
/// settling, withdrawals are requested again for the next run, nothing leaves; the batch is reported in the log and in
/// GET /v1/admin/settlement/batches.
/// </summary>
internal sealed class SettlementOutcome(IServiceScopeFactory scopes, SettlementLease lease, TimeProvider clock, ILogger<SettlementOutcome> logger)
{
    public async Task SettleAsync(HeldLease held, Guid batchId, TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var work = await FencedTransaction.BeginAsync(scopes, lease, held, cancellationToken);
        var (db, connection, npgsqlTransaction) = (work.Db, work.Connection, work.Transaction);
        var batch = (await db.Set<SettlementBatch>().FromSql($"select * from settlement_batches where id = {batchId} for update").ToListAsync(cancellationToken)).Single();
        if (!batch.IsOpen)
        {
            return;
        }
        var payouts = await db.Set<Payout>().Where(p => p.BatchId == batchId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var withdrawalIds = payouts.Where(p => p.WithdrawalId is not null).Select(p => p.WithdrawalId!.Value).ToArray();
        var withdrawals = await db.Withdrawals.Where(w => withdrawalIds.Contains(w.Id)).ToListAsync(cancellationToken);
        var ledgers = await MarketLedgerAccounts.ReadManyAsync(connection, npgsqlTransaction, payouts.Select(p => p.AccountId).Distinct().ToArray(), cancellationToken);
        var block = (long)receipt.BlockNumber;
        var reference = $"settlement:{batchId}";
        if (receipt.Succeeded())
        {
            var journal = batch.Kind == SettlementBatchKind.Burn
                ? JournalDraft.Transfer(JournalKind.FeeBurn, reference, PlatformLedgerAccounts.Burn, PlatformLedgerAccounts.Chain, batch.Total)
                : JournalDraft.Create(JournalKind.Payout, reference, false,
                    payouts.GroupBy(p => p.AccountId)
                        .Select(g => new PostingDraft(ledgers[g.Key][LedgerAccountKind.Settling], TokenDelta.Debit(TokenAmount.Sum(g.Select(p => p.Amount)))))
                        .Append(new PostingDraft(PlatformLedgerAccounts.Chain, TokenDelta.Credit(batch.Total))));
            var journalId = (await LedgerPoster.PostAsync(connection, npgsqlTransaction, journal, now, cancellationToken))!.Value;
            batch.Confirmed(receipt.TransactionHash, block, journalId, now);
            payouts.ForEach(p => p.Paid());
            withdrawals.ForEach(w => w.Paid());
            await WebhookOutbox.EnqueueAsync(connection, npgsqlTransaction, payouts.Select(p => new WebhookEvent(p.AccountId, WebhookEventTypes.PayoutPaid,
                new PayoutPaidData(p.Id, batchId, p.Amount, p.Source, p.WithdrawalId, p.Wallet, receipt.TransactionHash, block))).ToArray(), now, cancellationToken);
            logger.LogInformation("Settlement batch {Batch} ({Kind}, {Count} recipients, {Total} tokens) confirmed in block {Block}, tx {Hash}",
                batchId, batch.Kind, batch.RecipientCount, batch.Total, block, receipt.TransactionHash);
        }
        else
        {
            var earnings = payouts.Where(p => p.Source == PayoutSource.Earnings).GroupBy(p => p.AccountId).ToArray();
            long? journalId = earnings.Length == 0 ? null : await LedgerPoster.PostAsync(connection, npgsqlTransaction,
                JournalDraft.Create(JournalKind.PayoutReturn, reference, false, earnings.SelectMany(g => new[]
                {
                    new PostingDraft(ledgers[g.Key][LedgerAccountKind.Settling], TokenDelta.Debit(TokenAmount.Sum(g.Select(p => p.Amount)))),
                    new PostingDraft(ledgers[g.Key][LedgerAccountKind.Earnings], TokenDelta.Credit(TokenAmount.Sum(g.Select(p => p.Amount)))),
                })), now, cancellationToken);
            batch.Reverted(receipt.TransactionHash, block, journalId, now);
            payouts.ForEach(p => p.Returned());
            withdrawals.ForEach(w => w.Unbatch());
            logger.LogError("Settlement batch {Batch} ({Kind}, {Total} tokens) REVERTED in block {Block}, tx {Hash}: its money is payable again",
                batchId, batch.Kind, batch.Total, block, receipt.TransactionHash);
        }
        await work.CommitAsync(cancellationToken);
    }
}
