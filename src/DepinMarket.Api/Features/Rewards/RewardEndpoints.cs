using System.Globalization;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Rewards;

/// <summary>
/// GET /v1/rewards/epochs and /v1/rewards/epochs/{n}: every closed epoch's inputs, schedule and shares, open to anyone
/// (no key): an emission is only as credible as the ability to recompute it, and the same amounts are visible on
/// chain once settlement pays them.
/// </summary>
public static class RewardEndpoints
{
    private sealed record Cursor(long Epoch);

    public static WebApplication MapRewardEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/v1/rewards/epochs").WithTags("Rewards").AllowAnonymous();
        group.MapGet("/", List)
            .AcceptsQuery("limit", "cursor")
            .WithName("ListRewardEpochs")
            .WithSummary("The emission schedule and where it stands, and the closed epochs, newest first (keyset pages: limit ≤ 200, cursor)");
        group.MapGet("/{n}", Get)
            .AcceptsQuery()
            .WithName("GetRewardEpoch")
            .WithSummary("One closed epoch: the schedule and split it used, each provider's billed quantities and share, the treasury's share")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<Ok<RewardEpochPage>> List(HttpRequest request, MarketDbContext db, IOptions<RewardOptions> options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var limit = PageLimit.FromQuery(request.Query, 50, 200);
        var cursor = OpaqueCursor.FromQuery<Cursor>(request.Query, c => c.Epoch >= 0);
        var epochs = db.Set<RewardEpochRecord>().AsNoTracking();
        if (cursor is not null)
        {
            epochs = epochs.Where(e => e.Epoch < cursor.Epoch);
        }
        var page = await epochs.OrderByDescending(e => e.Epoch).Take(limit + 1)
            .Select(e => new { Epoch = e, Providers = db.Set<RewardEpochProviderRecord>().Count(p => p.Epoch == e.Epoch) })
            .ToListAsync(cancellationToken);
        var items = page.Take(limit).Select(x => new RewardEpochSummary(x.Epoch.Epoch, x.Epoch.StartsAt, x.Epoch.EndsAt, x.Epoch.Emission,
            x.Epoch.ProvidersShare, x.Epoch.TreasuryShare, x.Epoch.Unallocated, x.Epoch.EmittedTotal, x.Providers, x.Epoch.JournalId, x.Epoch.ClosedAt)).ToArray();
        var next = page.Count > limit ? OpaqueCursor.Encode(new Cursor(page[limit - 1].Epoch.Epoch)) : null;
        return TypedResults.Ok(new RewardEpochPage(await RewardScheduleView.ReadAsync(db, options.Value, clock.Now(), cancellationToken), items, next));
    }

    // The number is read as text, so a malformed one is a 400 naming it rather than a 404 from the router.
    internal static async Task<Ok<RewardEpochResponse>> Get(string n, MarketDbContext db, IOptions<RewardOptions> options, CancellationToken cancellationToken)
    {
        if (!long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw ValidationFailedException.For("n", $"must be an epoch number (a whole number from 0); got \"{n}\".");
        }
        var epoch = await db.Set<RewardEpochRecord>().AsNoTracking().SingleOrDefaultAsync(e => e.Epoch == number, cancellationToken)
            ?? throw await NotClosedAsync(db, options.Value, number, cancellationToken);
        var providers = await db.Set<RewardEpochProviderRecord>().AsNoTracking().Where(p => p.Epoch == number).ToListAsync(cancellationToken);
        var schedule = epoch.Schedule;
        var stored = new RewardEpochSchedule(epoch.InitialPerEpoch, epoch.MonthlyDecayBps, epoch.EpochsPerMonth, epoch.Cap, schedule.RateFor(number),
            epoch.EmittedTotal - epoch.ProvidersShare - epoch.TreasuryShare);
        var shares = providers.OrderBy(p => p.ProviderId.ToString("D"), StringComparer.Ordinal).Select(p => new RewardProviderShare(p.ProviderId,
            Text(p.GpuSeconds), Text(p.GbHours), Text(p.ModelTokens), p.ReliabilityBps, p.Share)).ToArray();
        return TypedResults.Ok(new RewardEpochResponse(epoch.Epoch, epoch.StartsAt, epoch.EndsAt, stored, epoch.ProvidersBps,
            new RewardWeights(epoch.ComputeWeight, epoch.StorageWeight, epoch.ModelWeight), epoch.Emission, epoch.ProvidersShare, epoch.TreasuryShare,
            epoch.Unallocated, epoch.EmittedTotal, epoch.JournalId, epoch.ClosedAt, shares));
    }

    private static async Task<DomainException> NotClosedAsync(MarketDbContext db, RewardOptions options, long number, CancellationToken cancellationToken)
    {
        if (options.Genesis is null)
        {
            return new DomainException(DomainErrorKind.NotFound, "No such epoch.", "Emission rewards are not configured (Rewards:Genesis is not set): no epoch has closed.");
        }
        var next = await db.Set<RewardEpochRecord>().AsNoTracking().MaxAsync(e => (long?)e.Epoch, cancellationToken) is { } last ? last + 1 : 0;
        return new DomainException(DomainErrorKind.NotFound, "No such epoch.",
            $"Epoch {number} has not closed. Epochs close in order, {options.CloseDelay} after they end; the next to close is epoch {next}.");
    }

    private static string Text(System.Numerics.BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
}
