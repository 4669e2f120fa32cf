using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

// The measuring half of scripts/bench.sh: the raw-Npgsql baseline the API is compared with, single-connection
// latency probes and the query plan. It prints figures and "RESULT key=value ..." lines for the script to
// parse; it judges nothing (targets are compared, and reported, by the script).
//
//   sql-load     --conn C --sql FILE --params SPEC --workers N --duration S [--warmup S] [--auth-sql FILE --auth-params SPEC] [--clk-tck 100]
//   sql-script-load --conn C --script FILE --vars FILE --workers N --duration S [--warmup S] [--run TAG] [--clk-tck 100]
//                a transaction of statements per request (SqlScript.cs): the baseline of a money-moving POST
//   money-accounts --url API --conn C --count N --tokens T --out FILE   funded accounts with verified wallets (MoneyAccounts.cs)
//   heartbeat-nodes --url API --count N --out FILE [--interval 30]   a provider and its nodes with their tokens (HeartbeatNodes.cs)
//   heartbeat-load --conn C --nodes FILE --body TEMPLATE --workers N --duration S [--warmup S] [--clk-tck 100]
//                the heartbeat statement of HeartbeatWriter from N workers: the baseline of POST /v1/nodes/{id}/heartbeats (HeartbeatBaseline.cs)
//   sql-latency  --conn C[,C2...] --sql FILE --params SPEC [--count 200] [--warmup 20] [--labels L1,L2...]
//   http-latency --url URL[,URL2...] --key KEY [--count 200] [--warmup 20] [--labels L1,L2...]
//   explain      --conn C --sql FILE --params SPEC
//   ledger-post  --conn C [--workers 16] [--duration 10] [--rounds 1]   journals/s through LedgerPoster vs raw SQL (LedgerBench.cs)
//   metering     --conn C [--passes 5] [--batches 500,100,2000]   charges/s of the metering worker vs raw SQL (MeteringBench.cs)
//   backend-ticks --conn C --app NAME   "pid ticks" of each PostgreSQL backend serving application NAME (CPU, from /proc)
//   gas          [--rpc URL] [--cap-rpc URL|none] [--sizes 1,10,100,500]   payout gas per recipient vs ERC-20 transfers on anvil,
//                and the largest payout per block and per EIP-7825 transaction (GasBench.cs; scripts/bench/gas.sh)
//   settlement   --conn C [--rpc URL] [--payouts 10000] [--batch 400] [--balances all|N] [--baseline yes|no]
//                ledger -> confirmed on chain -> reconciled through the API's SettlementWorker on anvil, beside the same
//                payouts sent raw (SettlementBench.cs; scripts/bench/settlement.sh)
//
// SPEC binds values to the SQL's @parameters in order of first appearance, e.g.
// "text:H100;int:2;numeric:3000000000000000000;text:DE;int:51" for the search EF Core generates.
// Connection strings may use '|' for ';' where several are given at once.
return await Bench.RunAsync(args);

internal static partial class Bench
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            await Console.Error.WriteLineAsync("usage: DepinMarket.Benchmarks sql-load|sql-script-load|money-accounts|heartbeat-nodes|heartbeat-load|sql-latency|http-latency|explain|ledger-post|metering|backend-ticks|gas|settlement --option value ...");
            return 2;
        }
        var options = Options.Parse(args.Skip(1));
        switch (args[0])
        {
            case "sql-load":
                return await SqlLoadAsync(options);
            case "sql-script-load":
                return await SqlScriptLoadAsync(options);
            case "money-accounts":
                return await MoneyAccounts.RunAsync(options);
            case "heartbeat-nodes":
                return await HeartbeatNodes.RunAsync(options);
            case "heartbeat-load":
                return await HeartbeatBaseline.RunAsync(options);
            case "sql-latency":
                return await SqlLatencyAsync(options);
            case "http-latency":
                return await HttpLatencyAsync(options);
            case "explain":
                return await ExplainAsync(options);
            case "ledger-post":
                return await LedgerBench.RunAsync(options);
            case "metering":
                return await MeteringBench.RunAsync(options);
            case "gas":
                return await GasBench.RunAsync(options);
            case "settlement":
                return await SettlementBench.RunAsync(options);
            case "backend-ticks":
                foreach (var (pid, ticks) in await BackendCpu.SnapshotAsync(options.Get("conn"), options.Get("app")))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{pid} {ticks}"));
                }
                return 0;
            default:
                await Console.Error.WriteLineAsync($"unknown command {args[0]}");
                return 2;
        }
    }

    /// <summary>The search SQL (optionally after the API-key lookup) under load, like wrk's connections.</summary>
    private static async Task<int> SqlLoadAsync(Options o)
    {
        var search = Query.Load(o.Get("sql"), o.Get("params"));
        var auth = o.Has("auth-sql") ? Query.Load(o.Get("auth-sql"), o.Get("auth-params")) : null;
        await using var dataSource = NpgsqlDataSource.Create(o.Get("conn"));
        return await LoadAsync(o, dataSource, async _ =>
        {
            if (auth is not null)
            {
                await auth.RunAsync(dataSource);
            }
            return await search.RunAsync(dataSource);
        });
    }

    /// <summary>A transaction of several statements under load: the baseline of a money-moving POST (SqlScript.cs).</summary>
    private static async Task<int> SqlScriptLoadAsync(Options o)
    {
        var script = SqlScript.Load(o.Get("script"));
        var vars = SqlScript.LoadVars(o.Get("vars"));
        var run = o.Has("run") ? o.Get("run") : Guid.NewGuid().ToString("N")[..8];
        var sequence = 0L;
        await using var dataSource = NpgsqlDataSource.Create(o.Get("conn"));
        return await LoadAsync(o, dataSource, worker =>
            script.RunAsync(dataSource, vars[worker % vars.Count], $"{run}-{worker}-{Interlocked.Increment(ref sequence)}"));
    }

    /// <summary>
    /// --workers N run <paramref name="request"/> (given the worker's number; it returns a row count) as fast as they
    /// can, --warmup S seconds, then --duration S seconds measured. When the connection string names an Application
    /// Name, the CPU its PostgreSQL backends spend while measuring is reported per measured request (pg_cpu_ms): the
    /// workers' backends only, the warm-up left out.
    /// </summary>
    internal static async Task<int> LoadAsync(Options o, NpgsqlDataSource dataSource, Func<int, Task<int>> request)
    {
        var workers = o.GetInt("workers", 16);
        var duration = TimeSpan.FromSeconds(o.GetInt("duration", 10));
        var warmup = TimeSpan.FromSeconds(o.GetInt("warmup", 2));
        var applicationName = new NpgsqlConnectionStringBuilder(o.Get("conn")).ApplicationName;
        var clockTicksPerSecond = o.GetInt("clk-tck", 100);

        // 0 = warming up, 1 = measuring, 2 = stop. Only requests that start and end while measuring count.
        var phase = 0;
        var errors = 0;
        var rowsSeen = 0;
        string? firstError = null;
        var latencies = new List<long>[workers];
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(1 << 16);
            while (Volatile.Read(ref phase) < 2)
            {
                var startPhase = Volatile.Read(ref phase);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var rows = await request(w);
                    Volatile.Write(ref rowsSeen, rows);
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, ex.Message, null);
                    continue;
                }
                var ended = Stopwatch.GetTimestamp();
                if (startPhase == 1 && Volatile.Read(ref phase) == 1)
                {
                    mine.Add(ended - started);
                }
            }
        })).ToArray();

        await Task.Delay(warmup);
        var cpuBefore = applicationName is null ? null : await BackendCpu.SnapshotAsync(o.Get("conn"), applicationName);
        var measureStart = Stopwatch.GetTimestamp();
        Volatile.Write(ref phase, 1);
        await Task.Delay(duration);
        // Read while the workers still hold their connections: once they close, the backends and their ticks are gone.
        var cpuAfter = applicationName is null ? null : await BackendCpu.SnapshotAsync(o.Get("conn"), applicationName);
        Volatile.Write(ref phase, 2);
        var measured = Stopwatch.GetElapsedTime(measureStart);
        await Task.WhenAll(tasks);

        var all = latencies.SelectMany(l => l).ToArray();
        var stats = Stats.Of(all);
        var rps = all.Length / measured.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {workers} workers, {measured.TotalSeconds:0.0} s: {all.Length} requests, {rps:0.0} req/s, p50 {stats.P50:0.00} ms, p90 {stats.P90:0.00} ms, p99 {stats.P99:0.00} ms, errors {errors}, rows/query {rowsSeen}"));
        if (firstError is not null)
        {
            Console.WriteLine($"  first error: {firstError}");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT rps={rps:0.0} p50_ms={stats.P50:0.00} p90_ms={stats.P90:0.00} p99_ms={stats.P99:0.00} requests={all.Length} errors={errors} rows={rowsSeen}"));
        if (cpuBefore is not null && cpuAfter is not null && all.Length > 0)
        {
            var (ticks, vanished) = BackendCpu.Between(cpuBefore, cpuAfter);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT pg_cpu_ms={ticks * 1000.0 / clockTicksPerSecond / all.Length:0.00} pg_backends={cpuAfter.Count} pg_backends_vanished={vanished}"));
        }
        return 0;
    }

    /// <summary>
    /// One connection, one query at a time: the latency a lone caller sees, without queueing. With several
    /// --conn values (comma-separated, e.g. a small and a large database) the requests alternate between
    /// them, so whatever else the machine is doing meanwhile weighs on each the same.
    /// </summary>
    private static async Task<int> SqlLatencyAsync(Options o)
    {
        var search = Query.Load(o.Get("sql"), o.Get("params"));
        var dataSources = o.Get("conn").Split(',').Select(c => NpgsqlDataSource.Create(c.Replace('|', ';'))).ToArray();
        try
        {
            var rows = new int[dataSources.Length];
            var targets = dataSources.Select<NpgsqlDataSource, Func<Task>>((d, i) => async () => rows[i] = await search.RunAsync(d)).ToArray();
            var stats = await SequentialAsync(o.GetInt("count", 200), o.GetInt("warmup", 20), targets);
            Report(o, "raw SQL", stats, i => $"rows/query {rows[i]}");
        }
        finally
        {
            foreach (var d in dataSources)
            {
                await d.DisposeAsync();
            }
        }
        return 0;
    }

    /// <summary>The same through the API: sequential GETs, alternating between the --url values (comma-separated).</summary>
    private static async Task<int> HttpLatencyAsync(Options o)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
        var urls = o.Get("url").Split(',').Select(u => new Uri(u)).ToArray();
        var key = o.Get("key");
        var bytes = new int[urls.Length];
        var targets = urls.Select<Uri, Func<Task>>((url, i) => async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{(int)response.StatusCode} from {url}: {System.Text.Encoding.UTF8.GetString(body)}");
            }
            bytes[i] = body.Length;
        }).ToArray();
        var stats = await SequentialAsync(o.GetInt("count", 200), o.GetInt("warmup", 20), targets);
        Report(o, "API", stats, i => $"response {bytes[i]} bytes");
        return 0;
    }

    /// <summary>EXPLAIN (ANALYZE, BUFFERS) with the parameters bound, so PostgreSQL plans exactly what the API sends.</summary>
    private static async Task<int> ExplainAsync(Options o)
    {
        var search = Query.Load(o.Get("sql"), o.Get("params"));
        await using var dataSource = NpgsqlDataSource.Create(o.Get("conn"));
        await search.RunAsync(dataSource); // warm the cache once, as the API's steady state would be
        var explain = search with { Sql = "EXPLAIN (ANALYZE, BUFFERS) " + search.Sql };
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = explain.Command(connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Console.WriteLine(reader.GetString(0));
        }
        return 0;
    }

    private static async Task<Stats[]> SequentialAsync(int count, int warmup, Func<Task>[] targets)
    {
        for (var i = 0; i < warmup; i++)
        {
            foreach (var target in targets)
            {
                await target();
            }
        }
        var samples = targets.Select(_ => new long[count]).ToArray();
        for (var i = 0; i < count; i++)
        {
            for (var t = 0; t < targets.Length; t++)
            {
                var started = Stopwatch.GetTimestamp();
                await targets[t]();
                samples[t][i] = Stopwatch.GetTimestamp() - started;
            }
        }
        return [.. samples.Select(Stats.Of)];
    }

    /// <summary>A line per target for people, "RESULT target=N ..." for the script; --labels names the targets.</summary>
    private static void Report(Options o, string path, Stats[] stats, Func<int, string> extra)
    {
        var labels = o.Has("labels") ? o.Get("labels").Split(',') : [];
        for (var t = 0; t < stats.Length; t++)
        {
            var s = stats[t];
            var label = t < labels.Length ? $"{path}, {labels[t]}" : path;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {label}, 1 connection, {s.Count} sequential requests: p50 {s.P50:0.000} ms, p90 {s.P90:0.000} ms, p99 {s.P99:0.000} ms, mean {s.Mean:0.000} ms, {extra(t)}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT target={t + 1} p50_ms={s.P50:0.000} p90_ms={s.P90:0.000} p99_ms={s.P99:0.000} mean_ms={s.Mean:0.000} count={s.Count}"));
        }
    }

    [GeneratedRegex(@"@[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex ParameterName();

    /// <summary>A SQL text and its parameter values, run the way EF Core runs it: pooled connection, unprepared command.</summary>
    private sealed record Query(string Sql, IReadOnlyList<(string Name, NpgsqlDbType Type, object Value)> Parameters)
    {
        public static Query Load(string sqlFile, string spec)
        {
            var sql = File.ReadAllText(sqlFile).Trim().TrimEnd(';');
            var names = ParameterName().Matches(sql).Select(m => m.Value[1..]).Distinct().ToList();
            var values = spec.Split(';', StringSplitOptions.RemoveEmptyEntries);
            if (names.Count != values.Length)
            {
                throw new ArgumentException($"{sqlFile} has {names.Count} parameters ({string.Join(", ", names)}) but {values.Length} values were given: {spec}");
            }
            return new Query(sql, [.. names.Zip(values, (name, value) => (name, TypeOf(value), ValueOf(value)))]);
        }

        public NpgsqlCommand Command(NpgsqlConnection connection)
        {
            var command = new NpgsqlCommand(Sql, connection);
            foreach (var (name, type, value) in Parameters)
            {
                command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
            }
            return command;
        }

        /// <summary>Runs the query and reads every column of every row as EF Core's materialiser would; returns the row count.</summary>
        public async Task<int> RunAsync(NpgsqlDataSource dataSource)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = Command(connection);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = 0;
            var numeric = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetDataTypeName(i).StartsWith("numeric", StringComparison.Ordinal)).ToArray();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    _ = reader.IsDBNull(i) ? null : numeric[i] ? reader.GetFieldValue<BigInteger>(i) : reader.GetValue(i);
                }
                rows++;
            }
            return rows;
        }

        private static NpgsqlDbType TypeOf(string spec) => spec.Split(':', 2)[0] switch
        {
            "text" => NpgsqlDbType.Text,
            "int" => NpgsqlDbType.Integer,
            "numeric" => NpgsqlDbType.Numeric,
            var other => throw new ArgumentException($"unknown parameter type {other} in {spec} (use text, int or numeric)"),
        };

        private static object ValueOf(string spec)
        {
            var parts = spec.Split(':', 2);
            return parts[0] switch
            {
                "int" => int.Parse(parts[1], CultureInfo.InvariantCulture),
                "numeric" => BigInteger.Parse(parts[1], CultureInfo.InvariantCulture),
                _ => parts[1],
            };
        }
    }

    private sealed record Stats(int Count, double P50, double P90, double P99, double Mean)
    {
        public static Stats Of(long[] ticks)
        {
            if (ticks.Length == 0)
            {
                return new Stats(0, double.NaN, double.NaN, double.NaN, double.NaN);
            }
            var ms = ticks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
            return new Stats(ms.Length, At(ms, 0.50), At(ms, 0.90), At(ms, 0.99), ms.Average());
        }

        /// <summary>Nearest-rank percentile.</summary>
        private static double At(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    internal sealed class Options
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public static Options Parse(IEnumerable<string> args)
        {
            var options = new Options();
            using var e = args.GetEnumerator();
            while (e.MoveNext())
            {
                var name = e.Current.StartsWith("--", StringComparison.Ordinal) ? e.Current[2..] : throw new ArgumentException($"expected --option, got {e.Current}");
                options._values[name] = e.MoveNext() ? e.Current : throw new ArgumentException($"--{name} needs a value");
            }
            return options;
        }

        public bool Has(string name) => _values.ContainsKey(name);

        public string Get(string name) => _values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");

        public int GetInt(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    }
}
