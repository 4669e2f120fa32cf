using System.Reflection;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Data;

/// <summary>Configuration section "Migrations".</summary>
public sealed class MigrationOptions
{
    /// <summary>
    /// How long a migration may wait for a table lock (PostgreSQL's lock_timeout). A migration queued behind a
    /// long transaction on a live table would otherwise hold every later query on that table behind itself.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Applies the embedded SQL migrations in order, each in its own transaction (or, when its first line says
/// <see cref="Migration.NoTransactionMarker"/>, statement by statement), and records them in schema_migrations
/// with a checksum. It holds a PostgreSQL advisory lock while it works, so several API instances (or a deploy
/// job racing a developer) cannot apply the same file twice. A file that was edited after it was applied is
/// an error: the database would no longer match what the code says. Waiting for a table lock is bounded by
/// <see cref="MigrationOptions.LockTimeout"/>. EF Core's own migrations need design-time packages that cannot
/// be restored here (docs/decisions/0002).
/// </summary>
public sealed class Migrator(
    NpgsqlDataSource dataSource, ILogger<Migrator> logger, IOptions<MigrationOptions>? options = null, IReadOnlyList<Migration>? migrations = null)
{
    // An arbitrary but fixed key: "depinmkt" as ASCII bytes.
    private const long AdvisoryLockKey = 0x646570696e6d6b74;

    private readonly IReadOnlyList<Migration> _migrations = migrations ?? Embedded;
    private readonly TimeSpan _lockTimeout = options?.Value.LockTimeout ?? new MigrationOptions().LockTimeout;

    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    public async Task<int> ApplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Waiting for the advisory lock (another migrator at work) blocks nobody else, so it is not bounded; the
        // lock timeout is set after it, for the table locks the migrations take.
        await Execute(connection, "select pg_advisory_lock(@key)", cancellationToken, ("key", AdvisoryLockKey));
        try
        {
            await Execute(connection, $"set lock_timeout = {(long)Math.Ceiling(_lockTimeout.TotalMilliseconds)}", cancellationToken);
            await Execute(connection, """
                create table if not exists schema_migrations (
                    version    integer primary key,
                    name       text not null,
                    checksum   text not null,
                    applied_at timestamptz not null default now())
                """, cancellationToken);
            var applied = await ReadApplied(connection, cancellationToken);
            var count = 0;
            foreach (var migration in _migrations)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {migration.FileName} was edited after it was applied " +
                            $"(checksum {checksum} in the database, {migration.Checksum} in the code). Add a new migration instead.");
                    }
                    continue;
                }
                await ApplyOne(connection, migration, cancellationToken);
                count++;
            }
            return count;
        }
        finally
        {
            await Execute(connection, "reset lock_timeout", CancellationToken.None);
            await Execute(connection, "select pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
        }
    }

    /// <summary>The versions the code has that the database lacks (for the readiness check).</summary>
    public async Task<IReadOnlyList<int>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select to_regclass('schema_migrations') is not null", connection);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return _migrations.Select(m => m.Version).ToList();
        }
        var applied = await ReadApplied(connection, cancellationToken);
        return _migrations.Where(m => !applied.ContainsKey(m.Version)).Select(m => m.Version).ToList();
    }

    private async Task ApplyOne(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        try
        {
            if (migration.RunsInTransaction)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, migration.Sql, cancellationToken);
                await Record(connection, migration, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            else
            {
                foreach (var statement in migration.Statements())
                {
                    await Execute(connection, statement, cancellationToken);
                }
                await Record(connection, migration, cancellationToken);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            var applied = migration.RunsInTransaction
                ? "It was rolled back: nothing of it was applied."
                : "It runs without a transaction, so its statements before that one stay applied; it runs again from the top next time.";
            throw new InvalidOperationException(
                $"Migration {migration.FileName} waited longer than the lock timeout ({_lockTimeout}, Migrations:LockTimeout) for a lock " +
                $"that another session holds (a long transaction on a table it changes). {applied} Retry when that transaction is over.", ex);
        }
        logger.LogInformation("Applied migration {Migration}", migration.FileName);
    }

    private static async Task Record(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken) =>
        await Execute(connection, "insert into schema_migrations (version, name, checksum) values (@v, @n, @c)", cancellationToken,
            ("v", migration.Version), ("n", migration.Name), ("c", migration.Checksum));

    private static async Task<Dictionary<int, string>> ReadApplied(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("select version, checksum from schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }
        return applied;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string Marker = ".Data.Migrations.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.Contains(Marker, StringComparison.Ordinal)))
        {
            // "DepinMarket.Api.Data.Migrations.0001_initial.sql" → version 1, name "initial"
            var file = resource[(resource.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..^".sql".Length];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(int.Parse(file[..underscore], System.Globalization.CultureInfo.InvariantCulture),
                file[(underscore + 1)..], reader.ReadToEnd()));
        }
        return [.. migrations.OrderBy(m => m.Version)];
    }
}
