using System.Security.Cryptography;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Rentals;
using DepinMarket.Domain.StorageProofs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.StorageProofs;

/// <summary>What one challenger pass did.</summary>
public sealed record ChallengerRun(int Issued, int Missed);

/// <summary>
/// Challenges storage nodes at random times and closes the challenges they let lapse. Each committed rental waits an
/// exponentially distributed time (mean StorageProofs:MeanInterval) between challenges, so a node cannot tell when the
/// next one comes and must keep all of the data all of the time; the chunk is drawn uniformly and the nonce is fresh.
/// Rows are claimed with SKIP LOCKED: instances share the work and nothing is issued or missed twice.
/// </summary>
public sealed class StorageChallenger(IServiceScopeFactory scopes, IOptions<StorageProofOptions> options, TimeProvider clock)
{
    public async Task<ChallengerRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        var faults = scope.ServiceProvider.GetRequiredService<StorageProofFaults>();
        var issued = await IssueAsync(db, cancellationToken);
        var missed = await MissAsync(db, faults, cancellationToken);
        return new ChallengerRun(issued, missed);
    }

    private async Task<int> IssueAsync(MarketDbContext db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.Now();
        var due = await db.Set<StorageCommitment>().FromSql($"""
            select c.* from storage_commitments c join rentals r on r.id = c.rental_id
            where c.next_challenge_at <= {now} and r.status = 'active' and r.node_id is not null
              and not exists (select 1 from storage_challenges s where s.rental_id = c.rental_id and s.status = 'open')
            order by c.next_challenge_at limit 500 for update of c skip locked
            """).ToListAsync(cancellationToken);
        var ids = due.Select(c => c.RentalId).ToList();
        var nodes = await db.Rentals.Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.NodeId!.Value, cancellationToken);
        foreach (var commitment in due)
        {
            db.Add(StorageChallenge.Issue(commitment.RentalId, nodes[commitment.RentalId], RandomNumberGenerator.GetInt32(commitment.ChunkCount),
                RandomNumberGenerator.GetBytes(32), now + options.Value.AnswerWithin, now));
            db.Entry(commitment).Property(c => c.NextChallengeAt).CurrentValue = now + NextWait();
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    private async Task<int> MissAsync(MarketDbContext db, StorageProofFaults faults, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.Now();
        var late = await db.Set<StorageChallenge>()
            .FromSql($"select * from storage_challenges where status = 'open' and deadline < {now} order by deadline limit 200 for update skip locked")
            .ToListAsync(cancellationToken);
        foreach (var challenge in late)
        {
            challenge.Miss(now);
            var rental = await db.Rentals.SingleAsync(r => r.Id == challenge.RentalId, cancellationToken);
            var commitment = await db.Set<StorageCommitment>().SingleAsync(c => c.RentalId == challenge.RentalId, cancellationToken);
            await faults.SlashAsync(db, challenge, rental, commitment, now, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return late.Count;
    }

    /// <summary>An exponential wait with the configured mean (memoryless: knowing when the last challenge came says nothing of the next).</summary>
    public TimeSpan NextWait()
    {
        var uniform = (RandomNumberGenerator.GetInt32(1, int.MaxValue) + 0.0) / int.MaxValue;
        return TimeSpan.FromSeconds(Math.Min(-Math.Log(uniform) * options.Value.MeanInterval.TotalSeconds, options.Value.MeanInterval.TotalSeconds * 10));
    }
}

internal sealed class StorageChallengerService(StorageChallenger challenger, IOptions<StorageProofOptions> options, TimeProvider clock, ILogger<StorageChallengerService> logger)
    : PeriodicService(clock, logger)
{
    protected override string Name => "Storage challenger";

    protected override TimeSpan? Interval => options.Value.Interval > TimeSpan.Zero ? options.Value.Interval : null;

    protected override Task RunOnceAsync(CancellationToken stoppingToken) => challenger.RunOnceAsync(stoppingToken);
}
