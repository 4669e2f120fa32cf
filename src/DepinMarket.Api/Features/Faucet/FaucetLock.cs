using Npgsql;

namespace DepinMarket.Api.Features.Faucet;

/// <summary>
/// A lock of the faucet across API instances: PostgreSQL session advisory locks, each held on a connection of its own
/// (the pool's connections move from request to request) and released explicitly, since a pooled connection is not
/// reset at once when it goes back to the pool.
/// </summary>
internal sealed class FaucetLock : IAsyncDisposable
{
    /// <summary>
    /// "faucetmt": one sender at a time, from before a mint is signed until after it is broadcast, and around every
    /// re-broadcast, because the token owner's nonce is taken from the node's pending count. (Settlement will keep
    /// nonces in PostgreSQL.) A re-broadcast under it can never overtake the first broadcast of the same bytes.
    /// </summary>
    public const long Sender = 0x6661756365746d74;

    /// <summary>"faucetsw": one sweep of grants in doubt at a time, whichever instance runs it.</summary>
    public const long Sweep = 0x6661756365747377;

    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private FaucetLock(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>Waits for the lock.</summary>
    public static async Task<FaucetLock> TakeAsync(NpgsqlDataSource dataSource, long key, CancellationToken cancellationToken) =>
        (await TakeAsync(dataSource, key, "select pg_advisory_lock(@key)", cancellationToken))!;

    /// <summary>The lock if it is free now, else null (another instance holds it).</summary>
    public static Task<FaucetLock?> TryTakeAsync(NpgsqlDataSource dataSource, long key, CancellationToken cancellationToken) =>
        TakeAsync(dataSource, key, "select pg_try_advisory_lock(@key)", cancellationToken);

    private static async Task<FaucetLock?> TakeAsync(NpgsqlDataSource dataSource, long key, string sql, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            // pg_advisory_lock returns void (read as DBNull), pg_try_advisory_lock whether it got the lock.
            if (await Execute(connection, sql, key, cancellationToken) is false)
            {
                await connection.DisposeAsync();
                return null;
            }
            return new FaucetLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Execute(_connection, "select pg_advisory_unlock(@key)", _key, CancellationToken.None);
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    private static async Task<object?> Execute(NpgsqlConnection connection, string sql, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", key);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
