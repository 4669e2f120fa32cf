using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Rpc;
using DepinMarket.Domain.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.Settlement;

/// <summary>What one pass of the worker did; <see cref="Holder"/> false when another instance holds the lease.</summary>
public sealed record SettlementRun(bool Holder, GatherResult? Gathered, int OpenBatches);

/// <summary>
/// One pass of settlement (docs/decisions/0018): hold the lease (or leave it to the instance that does), gather what is
/// payable when a run is due, then move every open batch on (<see cref="BatchTracker"/>). A node that fails for one
/// batch leaves it for the next pass; a lost lease stops the pass at once.
/// </summary>
internal sealed class SettlementWorker(IServiceScopeFactory scopes, SettlementLease lease, MarketChain chain, NpgsqlDataSource dataSource,
    SettlementGather gatherer, BatchTracker tracker, SettlementReconciliation reconciliation, IOptions<SettlementOptions> options, TimeProvider clock,
    ILogger<SettlementWorker> logger) : IDisposable
{
    private DateTimeOffset? _lastGather;

    // One pass at a time in this process (the background service and the operator's run): the lease keeps other
    // instances out, not this one's own concurrent passes.
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <param name="gather">Gather now (the operator asked); otherwise only when <see cref="SettlementOptions.RunInterval"/> has passed.</param>
    public async Task<SettlementRun> RunOnceAsync(bool gather, CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            return await PassAsync(gather, cancellationToken);
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task<SettlementRun> PassAsync(bool gather, CancellationToken cancellationToken)
    {
        var settlementChain = SettlementChain.From(chain, dataSource);
        if (await lease.TryHoldAsync(cancellationToken) is not { } held)
        {
            return new SettlementRun(false, null, 0);
        }
        GatherResult? gathered = null;
        var now = clock.GetUtcNow();
        if (gather || _lastGather is null || now - _lastGather >= options.Value.RunInterval)
        {
            gathered = await gatherer.GatherAsync(held, cancellationToken);
            _lastGather = now;
            if (gathered.Batches > 0 || gathered.BurnOpened)
            {
                logger.LogInformation("Settlement run: {Batches} payout batches ({Payouts} payouts, {Total} tokens){Burn}",
                    gathered.Batches, gathered.Payouts, gathered.Total, gathered.BurnOpened ? " and a fee burn" : "");
            }
        }
        var open = await OpenBatchesAsync(cancellationToken);
        foreach (var batchId in open)
        {
            try
            {
                await tracker.AdvanceAsync(held, settlementChain, batchId, cancellationToken);
            }
            catch (RpcException ex)
            {
                logger.LogWarning("Settlement batch {Batch}: the node failed ({Error}: {Message}); the next pass looks again", batchId, ex.Kind, ex.Message);
            }
        }
        var stillOpen = (await OpenBatchesAsync(cancellationToken)).Count;
        if (stillOpen < open.Count)
        {
            await ReconcileAsync(cancellationToken);
        }
        return new SettlementRun(true, gathered, stillOpen);
    }

    /// <summary>After a pass that settled batches: the vault and the newest batches against the ledger, each difference logged (the operator's endpoint adds the supply).</summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        try
        {
            var report = await reconciliation.ReconcileAsync(20, supply: false, cancellationToken);
            foreach (var difference in report.Differences)
            {
                logger.LogWarning("Settlement reconciliation: {Difference}", difference);
            }
        }
        catch (RpcException ex)
        {
            logger.LogWarning("Settlement reconciliation could not read the chain ({Error}); GET /v1/admin/settlement/reconcile runs it again", ex.Kind);
        }
    }

    public void Dispose() => _pass.Dispose();

    private async Task<List<Guid>> OpenBatchesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        return await db.Set<SettlementBatch>().AsNoTracking()
            .Where(b => b.Status == SettlementBatchStatus.Pending || b.Status == SettlementBatchStatus.Stored || b.Status == SettlementBatchStatus.Sent)
            .OrderBy(b => b.CreatedAt).ThenBy(b => b.Id).Select(b => b.Id).ToListAsync(cancellationToken);
    }

}

/// <summary>Runs <see cref="SettlementWorker"/> every tick on every instance; the lease lets one of them settle.</summary>
internal sealed class SettlementService(SettlementWorker worker, MarketChain chain, IOptions<SettlementOptions> options, TimeProvider clock,
    ILogger<SettlementService> logger) : PeriodicService(clock, logger)
{
    protected override string Name => "Settlement";

    protected override TimeSpan? Interval => options.Value.Enabled && SettlementChain.IsConfigured(chain) ? options.Value.TickInterval : null;

    protected override async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await worker.RunOnceAsync(gather: false, stoppingToken);
        }
        catch (LeaseLostException ex)
        {
            logger.LogWarning("{Message}", ex.Message);
        }
    }
}
