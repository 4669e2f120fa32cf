using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Stakes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Stakes;

/// <summary>
/// Releases unstakes whose cooldown ended: what is left of each (slashes may have taken the stake meanwhile) moves from
/// stake to available, one journal each. Rows are claimed with SKIP LOCKED, so instances share the work and none is
/// released twice.
/// </summary>
public sealed class StakeRelease(IServiceScopeFactory scopes, TimeProvider clock)
{
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.Now();
        var due = await db.Set<StakeUnbonding>()
            .FromSql($"select * from stake_unbondings where released_at is null and releases_at <= {now} order by releases_at limit 500 for update skip locked")
            .ToListAsync(cancellationToken);
        foreach (var unbonding in due)
        {
            var stake = await StakeCoverage.StakeBalanceAsync(db, unbonding.ProviderId, lockIt: true, cancellationToken);
            var released = unbonding.Amount < stake ? unbonding.Amount : stake;
            long? journalId = null;
            if (!released.IsZero)
            {
                var ledger = await MarketLedgerAccounts.EnsureAsync(db, unbonding.ProviderId, cancellationToken);
                journalId = await LedgerPoster.PostAsync(db, JournalDraft.Transfer(JournalKind.Unstake, StakeUnbonding.ReferenceFor(unbonding.Id),
                    ledger[LedgerAccountKind.Stake], ledger[LedgerAccountKind.Available], released), now, cancellationToken);
            }
            unbonding.Release(released, journalId, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }
}

internal sealed class StakeReleaseService(StakeRelease release, IOptions<StakeOptions> options, TimeProvider clock, ILogger<StakeReleaseService> logger)
    : PeriodicService(clock, logger)
{
    protected override string Name => "Stake release";

    protected override TimeSpan? Interval => options.Value.ReleaseInterval > TimeSpan.Zero ? options.Value.ReleaseInterval : null;

    protected override Task RunOnceAsync(CancellationToken stoppingToken) => release.RunOnceAsync(stoppingToken);
}
