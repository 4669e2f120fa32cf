using Npgsql;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// A lock across API instances: a PostgreSQL session advisory lock, held on a connection of its own (the pool's
/// connections move from request to request) and released explicitly, since a pooled connection is not reset at once
/// when it goes back to the pool. The keys live with their users (<see cref="SettlerTransactions.SenderLock"/>, the
/// faucet's sweep).
/// </summary>
internal sealed class AdvisoryLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private AdvisoryLock(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>Waits for the lock.</summary>
    public static async Task<AdvisoryLock> TakeAsync(NpgsqlDataSource dataSource, long key, CancellationToken cancellationToken) =>
        (await TakeAsync(dataSource, key, "select pg_advisory_lock(@key)", cancellationToken))!;

    /// <summary>The lock if it is free now, else null (another instance holds it).</summary>
    public static Task<AdvisoryLock?> TryTakeAsync(NpgsqlDataSource dataSource, long key, CancellationToken cancellationToken) =>
        TakeAsync(dataSource, key, "select pg_try_advisory_lock(@key)", cancellationToken);

    private static async Task<AdvisoryLock?> TakeAsync(NpgsqlDataSource dataSource, long key, string sql, CancellationToken cancellationToken)
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
            return new AdvisoryLock(connection, key);
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
