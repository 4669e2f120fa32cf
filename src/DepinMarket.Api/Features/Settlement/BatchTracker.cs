using DepinMarket.Api.Data;
using DepinMarket.Chain.Rpc;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Settlement;

/// <summary>
/// Moves one open batch on by what the chain says, looking before sending: a receipt of any of its attempts (newest
/// first) settles it once deep enough; an attempt never broadcast is broadcast (the same stored bytes); one not mined
/// within <see cref="SettlementOptions.ReplaceAfter"/> is sent again once, then replaced with the same nonce at fees at
/// least 12.5% higher. An attempt whose nonce another transaction took can never be mined: a new attempt with a fresh
/// nonce follows, unless the vault says the batch already ran (then it stays as it is and is reported, never resent).
/// </summary>
internal sealed class BatchTracker(IServiceScopeFactory scopes, BatchSender sender, SettlementOutcome outcome, IOptions<SettlementOptions> options,
    TimeProvider clock, ILogger<BatchTracker> logger)
{
    /// <summary>Broadcasts of one attempt before it is replaced: the first, and one re-broadcast.</summary>
    private const int BroadcastsBeforeReplacing = 2;

    public async Task AdvanceAsync(HeldLease held, SettlementChain chain, Guid batchId, CancellationToken cancellationToken)
    {
        SettlementBatch batch;
        List<SettlementAttempt> attempts;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
            batch = await db.Set<SettlementBatch>().AsNoTracking().SingleAsync(b => b.Id == batchId, cancellationToken);
            attempts = await db.Set<SettlementAttempt>().AsNoTracking().Where(a => a.BatchId == batchId).OrderBy(a => a.Attempt).ToListAsync(cancellationToken);
        }
        if (!batch.IsOpen)
        {
            return;
        }
        var mined = new List<TransactionLookup>();
        foreach (var attempt in attempts)
        {
            if (await chain.Settler.LookUpAsync(attempt.TransactionHash, cancellationToken) is { Receipt: not null } lookup)
            {
                mined.Add(lookup);
            }
        }
        if (mined.Count > 0)
        {
            // Mined: never send anything else for it. A successful attempt is the outcome, whatever else was mined; a
            // reverted one only if the vault agrees the batch never ran (an attempt that lost to another of ours
            // reverts with BatchAlreadyPaid, and returning the money then would pay it twice).
            var final = mined.Where(m => m.IsFinal).ToList();
            if (final.FirstOrDefault(m => m.Receipt!.Succeeded()) is { } paid)
            {
                await outcome.SettleAsync(held, batchId, paid.Receipt!, cancellationToken);
            }
            else if (final.Count == mined.Count && final.Count > 0)
            {
                if (await chain.IsSettledOnChainAsync(batch, cancellationToken))
                {
                    logger.LogError("Settlement batch {Batch}: its mined attempts reverted, yet the vault says it ran; left open for the operator", batchId);
                    return;
                }
                await outcome.SettleAsync(held, batchId, final[^1].Receipt!, cancellationToken);
            }
            return;
        }
        if (attempts.Count == 0)
        {
            await sender.SignStoreAndSendAsync(held, chain, batch, null, attempts.Count, cancellationToken);
            return;
        }
        var last = attempts[^1];
        var neverSent = last.BroadcastAt is null;
        if (!neverSent && clock.GetUtcNow() - last.BroadcastAt < options.Value.ReplaceAfter)
        {
            return;
        }
        // Stored but never sent (the broadcast failed), or sent and not mined in time: the same bytes again, once.
        if (neverSent || last.Broadcasts < BroadcastsBeforeReplacing)
        {
            switch (await chain.Settler.ResendAsync(last.TransactionHash, last.SignedTransaction, cancellationToken))
            {
                case Resent.Sent:
                    await sender.RecordResendAsync(held, last, cancellationToken);
                    return;
                case Resent.Mined:
                    return; // the next tick finds its receipt
            }
            // Resent.NonceTaken: another transaction of the key has its nonce; below, a fresh one.
        }
        else if (await chain.Settler.IsNonceSpentByAnotherAsync(last.TransactionHash, last.SignedTransaction, cancellationToken) is false)
        {
            logger.LogWarning("Settlement batch {Batch}: attempt {Attempt} ({Hash}) not mined after {Wait}; replacing it with the same nonce {Nonce} at higher fees",
                batchId, last.Attempt, last.TransactionHash, options.Value.ReplaceAfter, last.Nonce);
            await sender.SignStoreAndSendAsync(held, chain, batch, last, attempts.Count, cancellationToken);
            return;
        }
        // The nonce went to another transaction and none of ours was mined.
        if (await chain.IsSettledOnChainAsync(batch, cancellationToken))
        {
            logger.LogError("Settlement batch {Batch}: the vault says it ran, but no stored attempt has a receipt; left open for the operator (nothing is resent)", batchId);
            return;
        }
        logger.LogWarning("Settlement batch {Batch}: nonce {Nonce} of attempt {Attempt} was used by another transaction; signing a new attempt with a fresh nonce",
            batchId, last.Nonce, last.Attempt);
        await sender.SignStoreAndSendAsync(held, chain, batch, null, attempts.Count, cancellationToken);
    }
}
