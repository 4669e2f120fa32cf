using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

/// <summary>
/// ledger-post --conn C [--workers 16] [--duration 10] [--accounts-per-worker 10] [--rounds 1] [--modes M:B,...] [--clk-tck 100]
/// Journals (two postings each) posted per second by the posting service (LedgerPoster: ordered FOR NO KEY UPDATE
/// and a checked write statement in one round trip), one per transaction and 100 per transaction (100 PostAsync
/// calls, and "poster-many": one PostManyAsync of 100 journals, one round trip), beside a raw-SQL baseline that does the
/// same inserts and relative balance updates in one statement with no lock read and no shortfall check. The
/// database must be empty or migrated by an earlier run: it is migrated first. Each worker moves tokens among its
/// own accounts, so workers never wait for each other's rows (contention is a property of the workload, not the poster).
/// With --rounds R the five modes run R times in turn, so a noisy neighbour weighs on each about the same; --modes
/// picks some of them (e.g. "poster:100,poster-many:100"). CPU per journal: this process's (the client: Npgsql, the
/// poster's C#) and, when the connection string names an Application Name, that of the PostgreSQL backends serving it.
/// </summary>
internal static class LedgerBench
{
    private const string RawSql = """
        with j as (insert into journals (kind, reference, external, created_at) values ('transfer', @reference, false, now()) returning id),
        u as (update ledger_accounts set balance = balance + d.change from unnest(@accounts, @changes) as d(id, change) where ledger_accounts.id = d.id)
        insert into postings (journal_id, ledger_account_id, amount, balance_after) select j.id, x.id, x.change, 0 from j, unnest(@accounts, @changes) as x(id, change)
        """;

    public static async Task<int> RunAsync(Bench.Options o)
    {
        var workers = o.GetInt("workers", 16);
        var duration = TimeSpan.FromSeconds(o.GetInt("duration", 10));
        var perWorker = o.GetInt("accounts-per-worker", 10);
        await using var dataSource = NpgsqlDataSource.Create(o.Get("conn"));
        await new Migrator(dataSource, NullLogger<Migrator>.Instance).ApplyAsync(CancellationToken.None);
        var accounts = await SeedAsync(dataSource, workers, perWorker);

        var rounds = o.GetInt("rounds", 1);
        var modes = o.Has("modes")
            ? o.Get("modes").Split(',').Select(m => m.Split(':')).Select(m => (m[0], int.Parse(m[1], CultureInfo.InvariantCulture))).ToArray()
            : [("poster", 1), ("poster", 100), ("poster-many", 100), ("raw", 1), ("raw", 100)];
        var applicationName = new NpgsqlConnectionStringBuilder(o.Get("conn")).ApplicationName;
        var clockTicksPerSecond = o.GetInt("clk-tck", 100);
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (mode, batch) in modes)
            {
                var backendsBefore = applicationName is null ? null : await BackendCpu.SnapshotAsync(o.Get("conn"), applicationName);
                var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var journals = await MeasureAsync(dataSource, accounts, mode, batch, duration);
                var clientMicroseconds = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalMicroseconds / Math.Max(1, journals);
                var backendMicroseconds = backendsBefore is null ? double.NaN
                    : BackendCpu.Between(backendsBefore, await BackendCpu.SnapshotAsync(o.Get("conn"), applicationName!)).Ticks * 1e6 / clockTicksPerSecond / Math.Max(1, journals);
                var perSecond = journals / duration.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"RESULT ledger round={round} mode={mode} batch={batch} workers={workers} journals_per_s={perSecond:F0} postings_per_s={perSecond * 2:F0} client_cpu_us={clientMicroseconds:F0} pg_cpu_us={backendMicroseconds:F0}"));
            }
        }
        return 0;
    }

    private static async Task<long[][]> SeedAsync(NpgsqlDataSource dataSource, int workers, int perWorker)
    {
        var ids = new long[workers][];
        for (var w = 0; w < workers; w++)
        {
            ids[w] = new long[perWorker];
            for (var a = 0; a < perWorker; a++)
            {
                var accountId = Guid.CreateVersion7();
                await using (var insert = dataSource.CreateCommand(
                    "insert into accounts (id, display_name, is_provider, is_client, wallet_address, created_at) values (@id, 'bench', false, true, '0x' || lpad(to_hex(@n), 40, '0'), now())"))
                {
                    insert.Parameters.AddWithValue("id", accountId);
                    insert.Parameters.AddWithValue("n", (long)(w * perWorker + a + 1) + Random.Shared.NextInt64(1, 1L << 40));
                    await insert.ExecuteNonQueryAsync();
                }
                await using var connection = await dataSource.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                var ledger = await MarketLedgerAccounts.EnsureAsync(connection, transaction, accountId, CancellationToken.None);
                ids[w][a] = ledger[LedgerAccountKind.Available];
                await LedgerPoster.PostAsync(connection, transaction, JournalDraft.Transfer(JournalKind.Deposit, $"bench:{accountId}", PlatformLedgerAccounts.Chain,
                    ids[w][a], TokenAmount.FromWholeTokens(1_000_000_000), external: true), DateTimeOffset.UtcNow, CancellationToken.None);
                await transaction.CommitAsync();
            }
        }
        return ids;
    }

    private static async Task<long> MeasureAsync(NpgsqlDataSource dataSource, long[][] accounts, string mode, int batch, TimeSpan duration)
    {
        long journals = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = accounts.Select((mine, w) => Task.Run(async () =>
        {
            var random = new Random(w);
            await using var connection = await dataSource.OpenConnectionAsync();
            var n = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                var many = new List<JournalDraft>(batch);
                for (var i = 0; i < batch; i++)
                {
                    var from = mine[random.Next(mine.Length)];
                    var to = mine[(Array.IndexOf(mine, from) + random.Next(1, mine.Length)) % mine.Length];
                    var amount = TokenAmount.FromWholeTokens(random.Next(1, 100));
                    var reference = $"bench:{mode}:{batch}:{w}:{n++}";
                    var journal = JournalDraft.Transfer(JournalKind.Transfer, reference, from, to, amount);
                    switch (mode)
                    {
                        case "poster":
                            await LedgerPoster.PostAsync(connection, transaction, journal, DateTimeOffset.UtcNow, CancellationToken.None);
                            break;
                        case "poster-many":
                            many.Add(journal);
                            break;
                        default:
                            await RawAsync(connection, transaction, reference, from, to, amount.BaseUnits);
                            break;
                    }
                }
                if (many.Count > 0)
                {
                    await LedgerPoster.PostManyAsync(connection, transaction, many, DateTimeOffset.UtcNow, CancellationToken.None);
                }
                await transaction.CommitAsync();
                if (Stopwatch.GetTimestamp() < stopAt)
                {
                    Interlocked.Add(ref journals, batch);
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        return journals;
    }

    private static async Task RawAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string reference, long from, long to, BigInteger amount)
    {
        await using var command = new NpgsqlCommand(RawSql, connection, transaction);
        command.Parameters.AddWithValue("reference", reference);
        command.Parameters.Add(new NpgsqlParameter("accounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = from < to ? new[] { from, to } : new[] { to, from } });
        command.Parameters.Add(new NpgsqlParameter("changes", NpgsqlDbType.Array | NpgsqlDbType.Numeric) { Value = from < to ? new[] { -amount, amount } : new[] { amount, -amount } });
        await command.ExecuteNonQueryAsync();
    }
}
