using System.Numerics;
using DepinMarket.Api.Data;
using DepinMarket.Chain.Transactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// The settler's nonces in PostgreSQL, one sequence per chain and key (ADR 0018, closing ADR 0006), drawn from by
/// every transaction the key sends: settlement attempts, faucet mints, relayed deposits. A nonce is taken in the
/// transaction that stores the signed transaction carrying it, under the sender lock, so none is used without its
/// transaction being stored (a rollback gives it back) and none twice across instances.
/// A take is the greater of the sequence and the node's pending count (a transaction sent from elsewhere is stepped
/// over). When the sequence is ahead of the node and no stored transaction that may still be mined holds a nonce in
/// between, those nonces were abandoned (a relay dropped because its permit expired, a mint that failed before
/// reaching the node) and are handed out again, from the node's count: otherwise every later transaction would wait
/// behind the gap forever.
/// </summary>
internal static class SettlerNonces
{
    private const string LockSql = "select next_nonce from settler_nonces where chain_id = @chain and address = @address for update";

    private const string SaveSql = """
        insert into settler_nonces (chain_id, address, next_nonce, updated_at) values (@chain, @address, @next, @now)
        on conflict (chain_id, address) do update set next_nonce = excluded.next_nonce, updated_at = excluded.updated_at
        """;

    // The stored transactions of the key that may still be mined: open settlement batches' attempts, mints and relays in doubt or sent.
    private const string LiveSql = """
        select a.nonce, null from settlement_attempts a join settlement_batches b on b.id = a.batch_id where b.status in ('pending', 'stored', 'sent')
        union all select null, signed_transaction from faucet_grants where status = 'in_doubt'
        union all select null, signed_transaction from deposit_relays where status in ('in_doubt', 'relayed')
        """;

    /// <param name="pending">The node's pending transaction count for the key: no nonce below it is free.</param>
    public static async Task<long> TakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long chainId, string address,
        BigInteger pending, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = address.ToLowerInvariant();
        long? next;
        await using (var locked = new NpgsqlCommand(LockSql, connection, transaction))
        {
            locked.Parameters.AddWithValue("chain", chainId);
            locked.Parameters.AddWithValue("address", key);
            next = await locked.ExecuteScalarAsync(cancellationToken) as long?;
        }
        var floor = (long)pending;
        var take = Math.Max(next ?? floor, floor);
        if (take > floor && !(await LiveNoncesAsync(connection, transaction, cancellationToken)).Any(n => n >= floor && n < take))
        {
            take = floor;
        }
        await using var save = new NpgsqlCommand(SaveSql, connection, transaction);
        save.Parameters.AddWithValue("chain", chainId);
        save.Parameters.AddWithValue("address", key);
        save.Parameters.AddWithValue("next", take + 1);
        save.Parameters.AddWithValue("now", now);
        await save.ExecuteNonQueryAsync(cancellationToken);
        return take;
    }

    /// <summary>
    /// Takes a nonce, runs <paramref name="signAndTrack"/> with it (sign with that nonce, add or change the entities that
    /// store the signed bytes) and commits both in one transaction of <paramref name="db"/>. Call under the sender lock.
    /// </summary>
    public static async Task<T> SignAndStoreAsync<T>(MarketDbContext db, SettlerTransactions settler, DateTimeOffset now,
        Func<long, Task<T>> signAndTrack, CancellationToken cancellationToken)
    {
        var pending = await settler.PendingCountAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var nonce = await TakeAsync((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction(),
            settler.ChainId, settler.Address, pending, now, cancellationToken);
        var result = await signAndTrack(nonce);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<List<long>> LiveNoncesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var nonces = new List<long>();
        await using var command = new NpgsqlCommand(LiveSql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            nonces.Add(reader.IsDBNull(0) ? (long)TransactionFactory.CreateTransaction(reader.GetString(1)).Nonce : reader.GetInt64(0));
        }
        return nonces;
    }
}
