using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace DepinMarket.Api.Data;

/// <summary>One versioned SQL file embedded in the assembly ("0001_initial.sql").</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}

/// <summary>
/// Applies the embedded SQL migrations in order, each in its own transaction, and records them in
/// schema_migrations with a checksum. It holds a PostgreSQL advisory lock while it works, so several
/// API instances (or a deploy job racing a developer) cannot apply the same file twice. A file that was
/// edited after it was applied is an error: the database would no longer match what the code says.
/// EF Core's own migrations need design-time packages that cannot be restored here (docs/decisions/0002).
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    // An arbitrary but fixed key: "depinmkt" as ASCII bytes.
    private const long AdvisoryLockKey = 0x646570696e6d6b74;

    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    public async Task<int> ApplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, "select pg_advisory_lock(@key)", cancellationToken, ("key", AdvisoryLockKey));
        try
        {
            await Execute(connection, """
                create table if not exists schema_migrations (
                    version    integer primary key,
                    name       text not null,
                    checksum   text not null,
                    applied_at timestamptz not null default now())
                """, cancellationToken);
            var applied = await ReadApplied(connection, cancellationToken);
            var count = 0;
            foreach (var migration in Embedded)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {migration.Version:D4}_{migration.Name} was edited after it was applied " +
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
            return Embedded.Select(m => m.Version).ToList();
        }
        var applied = await ReadApplied(connection, cancellationToken);
        return Embedded.Where(m => !applied.ContainsKey(m.Version)).Select(m => m.Version).ToList();
    }

    private async Task ApplyOne(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var record = new NpgsqlCommand(
            "insert into schema_migrations (version, name, checksum) values (@v, @n, @c)", connection, transaction))
        {
            record.Parameters.AddWithValue("v", migration.Version);
            record.Parameters.AddWithValue("n", migration.Name);
            record.Parameters.AddWithValue("c", migration.Checksum);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Applied migration {Version:D4}_{Name}", migration.Version, migration.Name);
    }

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
