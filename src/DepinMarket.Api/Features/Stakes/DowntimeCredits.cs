using System.Text.Json;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Nodes;
using DepinMarket.Api.Features.Rentals;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Rentals;
using DepinMarket.Domain.Stakes;
using DepinMarket.Domain.Trust;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Stakes;

/// <summary>What one downtime pass did.</summary>
public sealed record DowntimeRun(int Terminated, int Credited);

/// <summary>
/// Downtime is paid for without anyone filing a claim (docs/decisions/0022). Metering already charges a node's rentals
/// only for time the node was seen alive; this pass (1) ends as terminated (provider fault) every active rental whose
/// node has been down longer than Stakes:TerminateAfter, refunding the unused escrow, and (2) for each outage that is
/// over for a rental (the node came back, or the rental ended), credits the renter pro rata for the downtime beyond
/// Stakes:DowntimeGrace from the provider's stake: a slash whose evidence is the outage interval, with a rental event
/// and its webhook. Model rentals pay per request and are not credited (no requests are served while down).
/// </summary>
public sealed class DowntimeCredits(IServiceScopeFactory scopes, IOptions<StakeOptions> options, TimeProvider clock)
{
    private const string DueTerminations = """
        select r.*, r.xmin from rentals r
        where r.status = 'active' and r.node_id is not null
          and exists (select 1 from node_outages o where o.node_id = r.node_id and o.ended_at is null and o.started_at < {0})
        order by r.id limit 200 for update of r skip locked
        """;

    // Outages that are over for a rental (closed, or the rental ended) and longer than the grace period within it, not
    // yet slashed. Only the last 30 days: older faults were settled by earlier passes.
    private const string DueCredits = """
        select r.id as "RentalId", o.id as "OutageId", o.started_at as "StartedAt", o.ended_at as "EndedAt"
        from node_outages o join rentals r on r.node_id = o.node_id
        where r.kind <> 'model' and r.started_at is not null
          and (o.ended_at is not null or r.ended_at is not null)
          and coalesce(o.ended_at, r.ended_at) > {0}
          and least(coalesce(o.ended_at, r.ended_at), coalesce(r.ended_at, 'infinity')) - greatest(o.started_at, r.started_at) > {1}
          and not exists (select 1 from slashes s where s.evidence_key = 'downtime:' || r.id || ':' || o.id)
        order by o.id limit 200
        """;

    private sealed record Due(Guid RentalId, long OutageId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt);

    public async Task<DowntimeRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        var terminated = await TerminateAsync(cancellationToken);
        var credited = 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        var now = clock.Now();
        var due = await db.Database.SqlQueryRaw<Due>(DueCredits, now.AddDays(-30), options.Value.DowntimeGrace).ToListAsync(cancellationToken);
        foreach (var item in due)
        {
            credited += await CreditAsync(item, cancellationToken) ? 1 : 0;
        }
        return new DowntimeRun(terminated, credited);
    }

    private async Task<int> TerminateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.Now();
        var rentals = await db.Rentals.FromSqlRaw(DueTerminations, now - options.Value.TerminateAfter).ToListAsync(cancellationToken);
        var work = new RentalWork(db, now);
        await work.LoadLivenessAsync(rentals, cancellationToken);
        foreach (var rental in rentals)
        {
            RentalMetering.MeterBeforeEnd(rental, work);
            rental.Terminate(RentalEndReason.ProviderFault, now);
            work.Ended(rental, RentalActor.Market,
                $"its node was down longer than {options.Value.TerminateAfter}; {rental.Refunded} tokens refunded, downtime credited from the provider's stake");
        }
        await work.SaveAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rentals.Count;
    }

    /// <summary>One rental's credit for one outage, in its own transaction; false when another pass took it first.</summary>
    private async Task<bool> CreditAsync(Due item, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        var slasher = scope.ServiceProvider.GetRequiredService<Slasher>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rental = (await db.Rentals.FromSql($"select *, xmin from rentals where id = {item.RentalId} for update").ToListAsync(cancellationToken)).Single();
        var now = clock.Now();
        var outage = new Outage(item.StartedAt, item.EndedAt);
        var rentalEnd = rental.EndedAt ?? now;
        var credit = DowntimeCredit.For(rental.UsageFor(3600), rental.StartedAt!.Value, rentalEnd, outage, options.Value.DowntimeGrace);
        var evidence = JsonSerializer.Serialize(new
        {
            outageId = item.OutageId, nodeId = rental.NodeId, from = item.StartedAt, until = item.EndedAt ?? rentalEnd,
            rentalId = rental.Id, outageSeconds = credit.OutageSeconds, beyondGraceSeconds = credit.BeyondGraceSeconds,
            graceSeconds = (long)options.Value.DowntimeGrace.TotalSeconds, credit = credit.Credit.ToString(),
        });
        var slash = await slasher.SlashAsync(db, rental.ProviderId, SlashReason.Downtime, $"downtime:{rental.Id}:{item.OutageId}", evidence,
            rental.Id, rental.ClientId, DowntimeSlash.Of(credit.Credit, options.Value.DowntimePenaltyBps), now, cancellationToken);
        if (slash is null)
        {
            return false;
        }
        var work = new RentalWork(db, now);
        work.Event(rental, RentalEventType.DowntimeCredited, RentalActor.Market,
            $"node down {credit.OutageSeconds} s ({credit.BeyondGraceSeconds} s beyond the grace period): {slash.ToClient} tokens credited to the renter " +
            $"from the provider's stake, {slash.ToBurn} burnt{(slash.Shortfall.IsZero ? "" : $", {slash.Shortfall} not covered by the stake")}");
        await work.SaveAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>Runs <see cref="DowntimeCredits"/> as often as the node monitor runs (Nodes:MonitorInterval).</summary>
internal sealed class DowntimeCreditService(DowntimeCredits credits, IOptions<NodeOptions> nodes, TimeProvider clock, ILogger<DowntimeCreditService> logger)
    : PeriodicService(clock, logger)
{
    protected override string Name => "Downtime credits";

    protected override TimeSpan? Interval => nodes.Value.MonitorInterval is { } i && i > TimeSpan.Zero ? i : null;

    protected override async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        var run = await credits.RunOnceAsync(stoppingToken);
        if (run.Terminated + run.Credited > 0)
        {
            logger.LogInformation("Downtime: {Terminated} rentals terminated, {Credited} credits paid", run.Terminated, run.Credited);
        }
    }
}
