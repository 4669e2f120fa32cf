using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Settlement;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Settlement;

/// <summary>The operator's view of settlement: every batch with every attempt, and a run on demand.</summary>
public static class SettlementAdminEndpoints
{
    public static WebApplication MapSettlementAdmin(this WebApplication app)
    {
        var group = app.MapGroup("/v1/admin/settlement").WithTags("Admin").RequireAuthorization(Policies.Operator);
        group.MapGet("/batches", Batches).AcceptsQuery("limit", "cursor").WithName("ListSettlementBatches")
            .WithSummary("Settlement batches, newest first, each with every signed attempt (nonce, fees, hash, broadcasts)");
        group.MapGet("/reconcile", Reconcile).AcceptsQuery("batches").WithName("ReconcileSettlement")
            .WithSummary("The chain against the ledger: the vault's balance, every confirmed batch against its events (the newest, batches ≤ 1000), the supply against mints and burns")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/run", Run).AcceptsQuery().WithName("RunSettlement")
            .WithSummary("Gather what is payable into batches now and move every open batch on (409 while another instance settles)")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<Ok<SettlementBatchPage>> Batches(HttpRequest request, MarketDbContext db, CancellationToken cancellationToken)
    {
        var limit = PageLimit.FromQuery(request.Query, 50, 100);
        var cursor = NewestFirstCursor.FromQuery(request.Query);
        var batches = db.Set<SettlementBatch>().AsNoTracking();
        if (cursor is not null)
        {
            batches = batches.Where(b => b.CreatedAt < cursor.CreatedAt || (b.CreatedAt == cursor.CreatedAt && b.Id.CompareTo(cursor.Id) < 0));
        }
        var page = await batches.OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var ids = page.Take(limit).Select(b => b.Id).ToArray();
        var attempts = (await db.Set<SettlementAttempt>().AsNoTracking().Where(a => ids.Contains(a.BatchId)).OrderBy(a => a.Attempt).ToListAsync(cancellationToken))
            .ToLookup(a => a.BatchId);
        var items = page.Take(limit).Select(b => new SettlementBatchResponse(b.Id, "0x" + Convert.ToHexStringLower(b.ChainId), b.Kind, b.Status, b.RecipientCount,
            b.Total, b.CreatedAt, b.TransactionHash, b.BlockNumber, b.SettledAt, b.JournalId,
            attempts[b.Id].Select(a => new SettlementAttemptResponse(a.Attempt, a.Nonce, a.TransactionHash,
                a.MaxFeePerGas.ToString(System.Globalization.CultureInfo.InvariantCulture), a.MaxPriorityFeePerGas.ToString(System.Globalization.CultureInfo.InvariantCulture),
                a.SignedAt, a.BroadcastAt, a.Broadcasts, a.LastError)).ToArray())).ToArray();
        var next = page.Count > limit ? new NewestFirstCursor(page[limit - 1].CreatedAt, page[limit - 1].Id).Encode() : null;
        return TypedResults.Ok(new SettlementBatchPage(items, next));
    }

    internal static async Task<Ok<ReconciliationReport>> Reconcile(HttpRequest request, SettlementReconciliation reconciliation, CancellationToken cancellationToken)
    {
        var batches = PageLimit.FromQuery(request.Query, 200, 1000, "batches");
        try
        {
            return TypedResults.Ok(await reconciliation.ReconcileAsync(batches, supply: true, cancellationToken));
        }
        catch (Chain.Rpc.RpcException ex)
        {
            throw new DomainException(DomainErrorKind.Unavailable, "The chain node did not answer.", $"Reconciliation reads the chain, and the node failed: {ex.Kind}.");
        }
    }

    internal static async Task<Ok<SettlementRunResponse>> Run(SettlementWorker worker, CancellationToken cancellationToken)
    {
        SettlementRun run;
        try
        {
            run = await worker.RunOnceAsync(gather: true, cancellationToken);
        }
        catch (LeaseLostException ex)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Another instance settles now.", ex.Message);
        }
        if (!run.Holder)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Another instance settles now.",
                "Another API instance holds the settlement lease and settles; it runs on its own schedule. Try again once its lease lapses.");
        }
        var g = run.Gathered!;
        return TypedResults.Ok(new SettlementRunResponse(true, g.Batches, g.Payouts, g.Total, g.BurnOpened, run.OpenBatches));
    }
}
