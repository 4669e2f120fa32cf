using DepinMarket.Api.Data;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Rewards;

/// <summary>The schedule as configured now, with what was emitted, the pool and the treasury as the database has them.</summary>
internal static class RewardScheduleView
{
    public static async Task<RewardScheduleResponse> ReadAsync(MarketDbContext db, RewardOptions o, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = await db.Set<RewardEpochRecord>().AsNoTracking().OrderByDescending(e => e.Epoch)
            .Select(e => new { e.Epoch, e.EmittedTotal }).FirstOrDefaultAsync(cancellationToken);
        var balances = await db.LedgerAccounts.AsNoTracking()
            .Where(a => a.Id == PlatformLedgerAccounts.Rewards || a.Id == PlatformLedgerAccounts.Treasury)
            .ToDictionaryAsync(a => a.Id, a => new TokenAmount(a.Balance.BaseUnits), cancellationToken);
        var schedule = o.Schedule;
        var emitted = last?.EmittedTotal ?? TokenAmount.Zero;
        var grid = o.Grid;
        long? current = grid is not null && now >= grid.Genesis ? grid.FinishedBy(now) : null;
        long? next = grid is null ? null : last is null ? 0 : last.Epoch + 1;
        return new RewardScheduleResponse(grid?.Genesis, (long)o.EpochLength.TotalSeconds, schedule.EpochsPerMonth, schedule.InitialPerEpoch,
            schedule.MonthlyDecayBps, schedule.Cap, current, current is { } c ? schedule.EmissionFor(c) : null, emitted,
            emitted < schedule.Cap ? schedule.Cap - emitted : TokenAmount.Zero, next, next is { } n ? grid!.EndOf(n) + o.CloseDelay : null,
            balances.GetValueOrDefault(PlatformLedgerAccounts.Rewards), balances.GetValueOrDefault(PlatformLedgerAccounts.Treasury), o.ProvidersBps,
            new RewardWeights(o.ComputeWeight, o.StorageWeight, o.ModelWeight));
    }
}
