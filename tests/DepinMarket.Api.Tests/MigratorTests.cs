using System.Security.Cryptography;
using System.Text;
using DepinMarket.Api.Data;
using DepinMarket.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Tests;

/// <summary>The migrator's own rules, on empty databases of their own with migrations written for the test.</summary>
public sealed class MigratorTests
{
    // Bounds a wait that, before the lock timeout existed, never ended: the test then fails instead of hanging.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_migration_waiting_for_a_busy_tables_lock_fails_clearly_and_applies_nothing()
    {
        await using var dataSource = await EmptyDatabase();
        Assert.Equal(1, await MigratorFor(dataSource, new Migration(1, "table", "create table readings (x integer);")).ApplyAsync(CancellationToken.None));

        // A long transaction that has read the table holds a lock that ALTER TABLE must wait for.
        await using var reader = await dataSource.OpenConnectionAsync();
        await using var longTransaction = await reader.BeginTransactionAsync();
        await using (var read = new NpgsqlCommand("select count(*) from readings", reader))
        {
            await read.ExecuteScalarAsync();
        }

        var migrator = MigratorFor(dataSource, TimeSpan.FromMilliseconds(200),
            new Migration(1, "table", "create table readings (x integer);"),
            new Migration(2, "column", "alter table readings add column y integer;"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.ApplyAsync(CancellationToken.None).WaitAsync(Patience));
        Assert.Contains("0002_column waited longer than the lock timeout", error.Message);
        Assert.Contains("Migrations:LockTimeout", error.Message);
        Assert.Equal([2], await migrator.PendingAsync(CancellationToken.None));
        await longTransaction.RollbackAsync();

        Assert.Equal(1, await migrator.ApplyAsync(CancellationToken.None).WaitAsync(Patience));
    }

    [Fact]
    public async Task A_migration_marked_no_transaction_can_create_indexes_concurrently()
    {
        await using var dataSource = await EmptyDatabase();
        var migrator = MigratorFor(dataSource,
            new Migration(1, "table", "create table readings (x integer, y integer);"),
            new Migration(2, "indexes", """
                -- migrate:no-transaction
                -- Statements run one by one, so CONCURRENTLY is allowed; each must be safe to run again.
                drop index concurrently if exists ix_readings_x;
                create index concurrently ix_readings_x on readings (x);
                create index concurrently if not exists ix_readings_y
                    on readings (y);
                """.ReplaceLineEndings("\r\n")));

        Assert.Equal(2, await migrator.ApplyAsync(CancellationToken.None));

        await using var command = dataSource.CreateCommand("""
            select string_agg(c.relname, ',' order by c.relname) from pg_index i join pg_class c on c.oid = i.indexrelid
            where i.indrelid = 'readings'::regclass and i.indisvalid
            """);
        Assert.Equal("ix_readings_x,ix_readings_y", await command.ExecuteScalarAsync());
        Assert.Empty(await migrator.PendingAsync(CancellationToken.None));
    }

    [Fact]
    public void A_CRLF_checkout_of_a_migration_has_the_checksum_of_the_LF_file()
    {
        foreach (var migration in Migrator.Embedded)
        {
            Assert.DoesNotContain('\r', migration.Sql);
            var crlf = migration with { Sql = migration.Sql.Replace("\n", "\r\n", StringComparison.Ordinal) };
            Assert.Equal(migration.Checksum, crlf.Checksum);
            // And it is still the checksum databases recorded before line endings were ignored: SHA-256 of the LF bytes.
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(migration.Sql))), migration.Checksum);
        }
    }

    private static Migrator MigratorFor(NpgsqlDataSource dataSource, params Migration[] migrations) =>
        MigratorFor(dataSource, new MigrationOptions().LockTimeout, migrations);

    private static Migrator MigratorFor(NpgsqlDataSource dataSource, TimeSpan lockTimeout, params Migration[] migrations) =>
        new(dataSource, NullLogger<Migrator>.Instance, Options.Create(new MigrationOptions { LockTimeout = lockTimeout }), migrations);

    private static async Task<NpgsqlDataSource> EmptyDatabase() => NpgsqlDataSource.Create(await PostgresServer.CreateEmptyDatabaseAsync());
}
