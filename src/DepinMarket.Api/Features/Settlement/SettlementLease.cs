using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.Settlement;

/// <summary>The lease one worker holds: who, and the epoch (fencing token) its writes must carry.</summary>
public sealed record HeldLease(string Holder, long Epoch);

/// <summary>The worker's writes were refused: its lease expired or another instance took it (a new epoch).</summary>
public sealed class LeaseLostException(string message) : Exception(message);

/// <summary>
/// One settling instance at a time, by a lease row with an epoch. Taking over an expired lease, or renewing one's own
/// after it expired, raises the epoch. Every transaction that takes a nonce or changes a batch first calls
/// <see cref="FenceAsync"/>: it share-locks the lease row if it still names this holder and epoch and has not expired,
/// else throws. A takeover updates that row, so it waits for fenced transactions in flight, and every later one of the
/// old holder fails: a worker paused past its lease (a GC pause, a lost connection) can no longer write when it wakes.
/// An advisory lock would not do that: it ends with its session, not with the worker's belief that it holds it.
/// </summary>
public sealed class SettlementLease(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<SettlementOptions> options)
{
    private const string HoldSql = """
        insert into settlement_lease (id, holder, epoch, expires_at) values (1, @holder, 1, @expires)
        on conflict (id) do update set
            epoch = case when settlement_lease.holder = excluded.holder and settlement_lease.expires_at > @now
                         then settlement_lease.epoch else settlement_lease.epoch + 1 end,
            holder = excluded.holder,
            expires_at = excluded.expires_at
        where settlement_lease.expires_at <= @now or settlement_lease.holder = excluded.holder
        returning epoch
        """;

    private const string FenceSql = """
        select 1 from settlement_lease where id = 1 and holder = @holder and epoch = @epoch and expires_at > @now for share
        """;

    /// <summary>This process's name in the lease row.</summary>
    public string Holder { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Takes the lease, or renews this holder's; null while another holder's lease runs.</summary>
    public async Task<HeldLease?> TryHoldAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand(HoldSql);
        command.Parameters.AddWithValue("holder", Holder);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("expires", now + options.Value.LeaseDuration);
        return await command.ExecuteScalarAsync(cancellationToken) is long epoch ? new HeldLease(Holder, epoch) : null;
    }

    /// <summary>Inside a transaction: proceeds only while <paramref name="lease"/> is still the live one (and keeps it so until commit).</summary>
    /// <exception cref="LeaseLostException">The lease expired or another instance holds it now.</exception>
    public async Task FenceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, HeldLease lease, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(FenceSql, connection, transaction);
        command.Parameters.AddWithValue("holder", lease.Holder);
        command.Parameters.AddWithValue("epoch", lease.Epoch);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw new LeaseLostException($"Settlement lease epoch {lease.Epoch} of {lease.Holder} is no longer held; this worker stops writing.");
        }
    }
}
