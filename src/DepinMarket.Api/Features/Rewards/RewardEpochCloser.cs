using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rewards;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.Rewards;

/// <summary>Why a run stopped closing epochs.</summary>
public enum RewardCloseOutcome
{
    /// <summary>The epoch was closed (a run goes on to the next one).</summary>
    Closed,
    /// <summary>No genesis configured: rewards are off.</summary>
    NotConfigured,
    /// <summary>The next epoch has not ended, or ended less than the close delay ago.</summary>
    NotDue,
    /// <summary>Another instance is closing epochs right now.</summary>
    Busy,
    /// <summary>Another closer committed this epoch first; nothing was written.</summary>
    AlreadyClosed,
    /// <summary>The rewards pool holds less than the epoch emits: it waits, with every later epoch, until the pool is funded.</summary>
    PoolShort,
    /// <summary>Genesis or epoch length changed after epochs closed: the next epoch would not follow the last one. Nothing closes.</summary>
    GridChanged,
}

/// <summary>What one call did: the outcome, the epoch it was about, and for a short pool how much is missing.</summary>
public sealed record RewardClose(RewardCloseOutcome Outcome, long? Epoch = null, RewardAllocation? Allocation = null, TokenAmount? Missing = null);

/// <summary>
/// Closes finished epochs in order, each exactly once, in one transaction: the inputs read from the epoch's rental
/// charges, the allocation computed from them, the epoch's rows written and its journal (pool → each provider's
/// earnings and the treasury) posted. Several instances: a transaction-scoped advisory lock lets one closer work at a
/// time (the others answer <see cref="RewardCloseOutcome.Busy"/>); behind it the epoch's primary key and the journal's
/// external reference ("reward-epoch:n") make a second posting impossible even without the lock.
/// </summary>
public sealed class RewardEpochCloser(IServiceScopeFactory scopes, IOptions<RewardOptions> options, IRewardReliability reliability, TimeProvider clock,
    ILogger<RewardEpochCloser> logger)
{
    /// <summary>"rewardep".</summary>
    public const long LockKey = 0x7265776172646570;

    /// <summary>Closes every due epoch (up to Rewards:MaxEpochsPerRun); returns how many closed and the outcome that stopped the run.</summary>
    public async Task<(int Closed, RewardClose Last)> RunOnceAsync(CancellationToken cancellationToken)
    {
        var closed = 0;
        while (true)
        {
            var result = await CloseNextAsync(takeLock: true, cancellationToken);
            if (result.Outcome != RewardCloseOutcome.Closed || ++closed >= options.Value.MaxEpochsPerRun)
            {
                return (closed, result);
            }
        }
    }

    /// <summary>Closes the next epoch if it is due. <paramref name="takeLock"/> false only in the test that proves the keys alone hold.</summary>
    internal async Task<RewardClose> CloseNextAsync(bool takeLock, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.Grid is not { } grid)
        {
            return new RewardClose(RewardCloseOutcome.NotConfigured);
        }
        var now = clock.Now();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
        if (takeLock && !await TryLockAsync(connection, npgsqlTransaction, cancellationToken))
        {
            return new RewardClose(RewardCloseOutcome.Busy);
        }

        var last = await db.Set<RewardEpochRecord>().AsNoTracking().OrderByDescending(e => e.Epoch).FirstOrDefaultAsync(cancellationToken);
        var epoch = last is null ? 0 : last.Epoch + 1;
        var (start, end) = (grid.StartOf(epoch), grid.EndOf(epoch));
        if (last is not null && last.EndsAt != start)
        {
            logger.LogError("Rewards: epoch {Epoch} would start at {Start:O} but epoch {Last} ended at {End:O}; Rewards:Genesis or EpochLength changed after epochs closed. Nothing closes until they are restored.",
                epoch, start, last.Epoch, last.EndsAt);
            return new RewardClose(RewardCloseOutcome.GridChanged, epoch);
        }
        if (end + o.CloseDelay > now)
        {
            return new RewardClose(RewardCloseOutcome.NotDue, epoch);
        }

        var inputs = await RewardInputs.ReadAsync(connection, npgsqlTransaction, start, end, cancellationToken);
        var weights = await reliability.WeightsAsync(inputs.Select(c => c.ProviderId).ToArray(), start, end, cancellationToken);
        var contributions = inputs.Select(c => c with { ReliabilityBps = weights.GetValueOrDefault(c.ProviderId, Reliability.Full) });
        var schedule = o.Schedule;
        var emittedBefore = last?.EmittedTotal ?? TokenAmount.Zero;
        // The cap once more against what was really emitted, so a schedule changed in configuration never emits past it.
        var left = o.Cap - (emittedBefore < o.Cap ? emittedBefore : o.Cap);
        var scheduled = schedule.EmissionFor(epoch);
        var allocation = RewardAllocation.Compute(scheduled < left ? scheduled : left, o.Rules, contributions);

        long? journalId = null;
        if (!allocation.Emitted.IsZero)
        {
            try
            {
                journalId = await LedgerPoster.PostAsync(db, await JournalAsync(connection, npgsqlTransaction, epoch, allocation, cancellationToken), now, cancellationToken);
            }
            catch (InsufficientBalanceException ex)
            {
                logger.LogWarning("Rewards: epoch {Epoch} waits: it emits {Emitted} tokens and the rewards pool is {Missing} short; fund it with POST /v1/rewards/pool",
                    epoch, allocation.Emitted, ex.Shortfall.Missing);
                return new RewardClose(RewardCloseOutcome.PoolShort, epoch, allocation, ex.Shortfall.Missing);
            }
            if (journalId is null)
            {
                return new RewardClose(RewardCloseOutcome.AlreadyClosed, epoch);
            }
        }
        db.Add(Record(epoch, start, end, o, schedule, allocation, emittedBefore + allocation.Emitted, journalId, now));
        db.AddRange(allocation.Shares.Select(s => new RewardEpochProviderRecord
        {
            Epoch = epoch, ProviderId = s.Contribution.ProviderId, GpuSeconds = s.Contribution.GpuSeconds, GbHours = s.Contribution.GbHours,
            ModelTokens = s.Contribution.ModelTokens, ReliabilityBps = s.Contribution.ReliabilityBps, Share = s.Amount,
        }));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return new RewardClose(RewardCloseOutcome.AlreadyClosed, epoch);
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Rewards: epoch {Epoch} closed: {Emitted} tokens emitted ({Providers} to {Count} providers, {Treasury} to the treasury), {Unallocated} not emitted",
            epoch, allocation.Emitted, allocation.ProvidersShare, allocation.Shares.Count(s => !s.Amount.IsZero), allocation.Treasury, allocation.Unallocated);
        return new RewardClose(RewardCloseOutcome.Closed, epoch, allocation);
    }

    /// <summary>The epoch's journal: the pool pays every non-zero provider part into that provider's earnings, and the treasury's part.</summary>
    private static async Task<JournalDraft> JournalAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long epoch, RewardAllocation allocation,
        CancellationToken cancellationToken)
    {
        var paid = allocation.Shares.Where(s => !s.Amount.IsZero).ToArray();
        var ledgers = new Dictionary<Guid, MarketLedger>(await MarketLedgerAccounts.ReadManyAsync(connection, transaction,
            paid.Select(s => s.Contribution.ProviderId).ToArray(), cancellationToken));
        foreach (var missing in paid.Select(s => s.Contribution.ProviderId).Where(id => !ledgers.ContainsKey(id)))
        {
            ledgers[missing] = await MarketLedgerAccounts.EnsureAsync(connection, transaction, missing, cancellationToken);
        }
        var lines = new List<PostingDraft> { new(PlatformLedgerAccounts.Rewards, TokenDelta.Debit(allocation.Emitted)) };
        lines.AddRange(paid.Select(s => new PostingDraft(ledgers[s.Contribution.ProviderId][LedgerAccountKind.Earnings], TokenDelta.Credit(s.Amount))));
        if (!allocation.Treasury.IsZero)
        {
            lines.Add(new PostingDraft(PlatformLedgerAccounts.Treasury, TokenDelta.Credit(allocation.Treasury)));
        }
        return JournalDraft.Create(JournalKind.Reward, ReferenceFor(epoch), external: true, lines);
    }

    public static string ReferenceFor(long epoch) => $"reward-epoch:{epoch}";

    private static RewardEpochRecord Record(long epoch, DateTimeOffset start, DateTimeOffset end, RewardOptions o, EmissionSchedule schedule,
        RewardAllocation allocation, TokenAmount emittedTotal, long? journalId, DateTimeOffset now) => new()
        {
            Epoch = epoch, StartsAt = start, EndsAt = end,
            InitialPerEpoch = schedule.InitialPerEpoch, MonthlyDecayBps = schedule.MonthlyDecayBps, EpochsPerMonth = schedule.EpochsPerMonth, Cap = schedule.Cap,
            ProvidersBps = o.ProvidersBps, ComputeWeight = o.ComputeWeight, StorageWeight = o.StorageWeight, ModelWeight = o.ModelWeight,
            Emission = allocation.Emission, ProvidersShare = allocation.ProvidersShare, TreasuryShare = allocation.Treasury,
            Unallocated = allocation.Unallocated, EmittedTotal = emittedTotal, JournalId = journalId, ClosedAt = now,
        };

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select pg_try_advisory_xact_lock(@key)", connection, transaction);
        command.Parameters.AddWithValue("key", LockKey);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }
}
