using System.Numerics;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;
using DepinMarket.Chain.Rpc;
using DepinMarket.Domain.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Settlement;

/// <summary>
/// Signs a batch's transaction and stores it, nonce and all, in one fenced transaction, before anything is broadcast;
/// then broadcasts the stored bytes. Signing and the first broadcast happen under the settler's sender lock (shared with
/// the faucet and the deposit relay), so no other transaction of the key can take the nonce in between.
/// </summary>
internal sealed class BatchSender(IServiceScopeFactory scopes, SettlementLease lease, IOptions<SettlementOptions> options, TimeProvider clock,
    ILogger<BatchSender> logger)
{
    /// <summary>
    /// Signs and stores a new attempt: a fresh nonce (or <paramref name="sameNonceAs"/>'s, at higher fees, to replace it),
    /// then broadcasts it; nothing when the batch no longer has <paramref name="attemptsSeen"/> attempts (another pass acted).
    /// </summary>
    public async Task SignStoreAndSendAsync(HeldLease held, SettlementChain chain, SettlementBatch batch, SettlementAttempt? sameNonceAs,
        int attemptsSeen, CancellationToken cancellationToken)
    {
        var manager = chain.Settler.Client.TransactionManager!;
        var suggested = await manager.Fee1559SuggestionStrategy.SuggestFeeAsync(cancellationToken);
        var (maxFee, tip) = sameNonceAs is null
            ? (suggested.MaxFeePerGas, suggested.MaxPriorityFeePerGas)
            : ReplacementFees.Next(sameNonceAs.MaxFeePerGas, sameNonceAs.MaxPriorityFeePerGas, suggested.MaxFeePerGas, suggested.MaxPriorityFeePerGas);
        SettlementAttempt attempt;
        await using (await chain.Settler.LockSenderAsync(cancellationToken))
        {
            var pending = await chain.Settler.PendingCountAsync(cancellationToken);
            if (await StoreAsync(held, chain, batch, sameNonceAs?.Nonce, attemptsSeen, pending, maxFee, tip, cancellationToken) is not { } stored)
            {
                return;
            }
            attempt = stored;
            await BroadcastAsync(held, chain, attempt, cancellationToken);
        }
    }

    /// <summary>Sends an attempt's stored bytes (again); a node that refuses or does not answer leaves it as it was, in doubt.</summary>
    public async Task BroadcastAsync(HeldLease held, SettlementChain chain, SettlementAttempt attempt, CancellationToken cancellationToken)
    {
        string? error = null;
        try
        {
            await chain.Settler.BroadcastAsync(attempt.SignedTransaction, cancellationToken);
        }
        catch (RpcException ex)
        {
            error = ex.Message;
            logger.LogWarning("Settlement batch {Batch}: broadcasting attempt {Attempt} ({Hash}) failed ({Error}); it stays in doubt",
                attempt.BatchId, attempt.Attempt, attempt.TransactionHash, ex.Kind);
        }
        await RecordBroadcastAsync(held, attempt, error, cancellationToken);
    }

    /// <summary>Notes a re-broadcast the node took (another one follows only if it is still not mined after the wait).</summary>
    public Task RecordResendAsync(HeldLease held, SettlementAttempt attempt, CancellationToken cancellationToken) =>
        RecordBroadcastAsync(held, attempt, null, cancellationToken);

    private async Task<SettlementAttempt?> StoreAsync(HeldLease held, SettlementChain chain, SettlementBatch batch, long? nonce, int attemptsSeen,
        BigInteger pending, BigInteger maxFee, BigInteger tip, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var work = await FencedTransaction.BeginAsync(scopes, lease, held, cancellationToken);
        var db = work.Db;
        // The batch row locked, then its attempts counted: two passes deciding on the same view cannot both sign.
        var tracked = (await db.Set<SettlementBatch>().FromSql($"select * from settlement_batches where id = {batch.Id} for update").ToListAsync(cancellationToken)).Single();
        var number = await db.Set<SettlementAttempt>().CountAsync(a => a.BatchId == batch.Id, cancellationToken) + 1;
        if (number != attemptsSeen + 1 || !tracked.IsOpen)
        {
            return null;
        }
        var taken = nonce ?? await SettlerNonces.TakeAsync(work.Connection, work.Transaction, chain.ChainId, chain.Settler.Address, pending, now, cancellationToken);
        var signed = await SignAsync(db, chain, tracked, taken, maxFee, tip, cancellationToken);
        var attempt = new SettlementAttempt
        {
            BatchId = batch.Id, Attempt = number, Nonce = taken, MaxFeePerGas = maxFee, MaxPriorityFeePerGas = tip,
            TransactionHash = signed.TransactionHash, SignedTransaction = signed.GetRawTransactionHex(), SignedAt = now,
        };
        db.Add(attempt);
        tracked.AttemptStored();
        await work.CommitAsync(cancellationToken);
        return attempt;
    }

    /// <summary>The payout or burn call, every field given (gas, fees, nonce): signing asks the node nothing.</summary>
    private async Task<Chain.Transactions.SignedTransaction> SignAsync(MarketDbContext db, SettlementChain chain, SettlementBatch batch, long nonce,
        BigInteger maxFee, BigInteger tip, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (batch.Kind == SettlementBatchKind.Burn)
        {
            return await chain.Vault.SignTransactionAsync(new BurnFeesFunction
            {
                BatchId = batch.ChainId, Amount = batch.Total.BaseUnits,
                Gas = o.GasBase, MaxFeePerGas = maxFee, MaxPriorityFeePerGas = tip, Nonce = nonce,
            }, cancellationToken);
        }
        var recipients = await db.Set<SettlementRecipient>().AsNoTracking().Where(r => r.BatchId == batch.Id).OrderBy(r => r.Position).ToListAsync(cancellationToken);
        return await chain.Vault.SignTransactionAsync(new PayoutFunction
        {
            BatchId = batch.ChainId,
            Recipients = recipients.Select(r => r.Wallet).ToList(),
            Amounts = recipients.Select(r => r.Amount.BaseUnits).ToList(),
            Gas = o.GasBase + o.GasPerRecipient * recipients.Count, MaxFeePerGas = maxFee, MaxPriorityFeePerGas = tip, Nonce = nonce,
        }, cancellationToken);
    }

    private async Task RecordBroadcastAsync(HeldLease held, SettlementAttempt attempt, string? error, CancellationToken cancellationToken)
    {
        await using var work = await FencedTransaction.BeginAsync(scopes, lease, held, cancellationToken);
        var db = work.Db;
        var stored = await db.Set<SettlementAttempt>().SingleAsync(a => a.Id == attempt.Id, cancellationToken);
        stored.LastError = error;
        if (error is null)
        {
            stored.BroadcastAt = clock.GetUtcNow();
            stored.Broadcasts++;
            var batch = await db.Set<SettlementBatch>().SingleAsync(b => b.Id == attempt.BatchId, cancellationToken);
            if (batch.Status == SettlementBatchStatus.Stored)
            {
                batch.Sent();
            }
        }
        await work.CommitAsync(cancellationToken);
    }
}
