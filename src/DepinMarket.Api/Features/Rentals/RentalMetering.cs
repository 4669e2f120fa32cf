using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Rentals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>What one metering run did.</summary>
public sealed record MeteringRun(int Charged, int Ended, int Expired);

/// <summary>
/// The metering worker's work, one run at a time: expire pending rentals past their deadline, then charge every
/// active time-billed rental up to now, ending those whose term ran out. Rentals are claimed in batches with
/// <c>FOR UPDATE SKIP LOCKED</c>: several API instances (or a client stopping a rental meanwhile) each take rows the
/// others are not holding, and a charge is computed from the rental's own running total, so nothing is charged twice.
/// </summary>
public sealed class RentalMetering(IServiceScopeFactory scopes, IOptions<RentalOptions> options, TimeProvider clock)
{
    private const string ClaimPending = "select *, xmin from rentals where status = 'pending' and accept_by <= {0} order by accept_by limit {1} for update skip locked";
    private const string ClaimActive = "select *, xmin from rentals where status = 'active' and term_seconds is not null and metered_until < {0} order by metered_until limit {1} for update skip locked";

    public async Task<MeteringRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.Now();
        var (expired, _, _) = await DrainAsync(ClaimPending, now, (rental, work) =>
        {
            rental.Expire(work.Now);
            work.Ended(rental, RentalActor.Market, $"not accepted by {rental.AcceptBy:O}; {rental.Refunded} tokens refunded");
            return true;
        }, cancellationToken);
        var (_, charged, ended) = await DrainAsync(ClaimActive, now, (rental, work) =>
        {
            var chargedSomething = Meter(rental, work);
            if (rental.TermOverAt(work.Now))
            {
                rental.Complete(RentalEndReason.TermEnded, work.Now);
                work.Ended(rental, RentalActor.Market, "the paid term ran out");
            }
            return chargedSomething;
        }, cancellationToken);
        return new MeteringRun(charged, ended, expired);
    }

    /// <summary>Batches of <paramref name="claim"/> until one comes back short: every due rental once per run.</summary>
    /// <returns>Rentals claimed, those <paramref name="step"/> said it charged, and those that ended.</returns>
    private async Task<(int Claimed, int Charged, int Ended)> DrainAsync(string claim, DateTimeOffset now, Func<Rental, RentalWork, bool> step, CancellationToken cancellationToken)
    {
        var batch = options.Value.MeteringBatchSize;
        int claimed = 0, charged = 0, ended = 0;
        while (true)
        {
            var run = await BatchAsync(claim, now, batch, step, cancellationToken);
            (claimed, charged, ended) = (claimed + run.Claimed, charged + run.Charged, ended + run.Ended);
            if (run.Claimed < batch)
            {
                return (claimed, charged, ended);
            }
        }
    }

    /// <summary>One transaction: claim up to <paramref name="batch"/> rentals, apply <paramref name="step"/> to each, write it all.</summary>
    private async Task<(int Claimed, int Charged, int Ended)> BatchAsync(string claim, DateTimeOffset now, int batch, Func<Rental, RentalWork, bool> step, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Every statement of a batch is a key lookup or a write by key, and each runs hundreds of times per batch:
        // left to itself, PostgreSQL plans LedgerPoster's write anew for every journal (its arrays make each custom plan
        // look cheaper than the generic one), which was about half of that statement's cost. For this transaction only.
        await db.Database.ExecuteSqlRawAsync("set local plan_cache_mode = force_generic_plan", cancellationToken);
        var rentals = await db.Rentals.FromSqlRaw(claim, now, batch).ToListAsync(cancellationToken);
        var work = new RentalWork(db, now);
        await work.LoadLivenessAsync(rentals, cancellationToken);
        var chargedCount = rentals.Count(rental => step(rental, work));
        await work.SaveAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (rentals.Count, chargedCount, rentals.Count(r => !r.IsOpen));
    }

    /// <summary>Charges a time-billed rental up to now and sends the escrow warnings it crossed; true when something was charged.</summary>
    internal static bool Meter(Rental rental, RentalWork work)
    {
        var from = rental.MeteredUntil!.Value;
        var split = rental.MeterTo(work.Now, work.LivenessOf(rental));
        var to = rental.MeteredUntil!.Value;
        work.Charge(rental, split, journal => RentalCharge.Metered(rental, journal, from, to, split, work.Now));
        Warn(rental, work);
        return !split.IsZero;
    }

    internal static void Warn(Rental rental, RentalWork work)
    {
        if (rental.TakeDueWarning() is { } percent && rental.IsOpen && !rental.UsageLeft.IsZero)
        {
            work.Event(rental, RentalEventType.ChargeWarning, RentalActor.Market,
                $"{percent}% of the escrow left ({rental.UsageLeft} tokens); extend the rental to keep it running");
        }
    }

    /// <summary>
    /// Before an open rental ends early (stopped, terminated, its offer retired): charges what an active time-billed
    /// rental used up to now. Anything else has nothing to meter.
    /// </summary>
    /// <returns>Whether the paid term had run out anyway (the end is then the term's, not the early one).</returns>
    internal static bool MeterBeforeEnd(Rental rental, RentalWork work)
    {
        if (rental.Status != RentalStatus.Active || !rental.IsTimeBilled)
        {
            return false;
        }
        Meter(rental, work);
        return rental.TermOverAt(work.Now);
    }
}

/// <summary>Runs <see cref="RentalMetering"/> on the configured interval; every instance may run it (the claims share the work).</summary>
internal sealed class RentalMeteringService(RentalMetering metering, IOptions<RentalOptions> options, TimeProvider clock, ILogger<RentalMeteringService> logger)
    : PeriodicService(clock, logger)
{
    protected override string Name => "Metering";

    protected override TimeSpan? Interval => options.Value.MeteringEnabled ? options.Value.MeteringInterval : null;

    protected override async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        var run = await metering.RunOnceAsync(stoppingToken);
        if (run.Charged + run.Ended + run.Expired > 0)
        {
            logger.LogInformation("Metering: {Charged} rentals charged, {Ended} ended, {Expired} expired", run.Charged, run.Ended, run.Expired);
        }
    }
}
