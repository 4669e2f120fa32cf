using System.Diagnostics;
using System.Globalization;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Features.Rentals;
using DepinMarket.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

/// <summary>
/// metering --conn C [--clients 1000] [--rentals-per-client 10] [--providers 100] [--passes 5] [--batches 500,100,2000]
///          [--step 15] [--clk-tck 100]
/// Issue 8's benchmark (a): the metering worker (<see cref="RentalMetering.RunOnceAsync"/>, the API's own class and
/// DbContext set-up) across clients × rentals-per-client active compute rentals, seeded straight into a fresh database
/// (<see cref="MeteringSeed"/>; it is migrated first). Before each pass the clock moves on by --step seconds, so one
/// pass charges every rental once; charges per second is the pass's charges over its wall time. For each batch size
/// (Rentals:MeteringBatchSize) a warm-up round, then --passes rounds of the worker and the two raw-SQL baselines in
/// turn (<see cref="MeteringBaseline"/>, same batch size: "raw" the worker's statements per rental, "raw-set" one
/// set-based statement per batch), so a noisy neighbour weighs on all; the medians and the ratios are printed. CPU per charge of this process and of its PostgreSQL backends shows where the time goes on a shared
/// machine. The ledger check (with the rental escrow check) runs after seeding and after the last pass.
/// </summary>
internal static class MeteringBench
{
    private const string ApplicationName = "depinmarket-bench-metering";

    public static async Task<int> RunAsync(Bench.Options o)
    {
        var clients = o.GetInt("clients", 1000);
        var perClient = o.GetInt("rentals-per-client", 10);
        var providers = o.GetInt("providers", 100);
        var passes = o.GetInt("passes", 5);
        var step = TimeSpan.FromSeconds(o.GetInt("step", 15));
        var clockTicksPerSecond = o.GetInt("clk-tck", 100);
        var batches = (o.Has("batches") ? o.Get("batches") : "500,100,2000").Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToArray();
        var connectionString = new NpgsqlConnectionStringBuilder(o.Get("conn")) { ApplicationName = ApplicationName }.ConnectionString;

        var clock = new BenchClock(DateTimeOffset.UtcNow);
        await using var app = Host(connectionString, clock);
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        await new Migrator(dataSource, NullLogger<Migrator>.Instance).ApplyAsync(CancellationToken.None);
        var seeding = Stopwatch.StartNew();
        await MeteringSeed.SeedAsync(dataSource, clients, perClient, providers, clock.GetUtcNow());
        var rentals = clients * perClient;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  seeded {clients} clients x {perClient} active compute rentals of {providers * 2} offers by {providers} providers in {seeding.Elapsed.TotalSeconds:F1} s"));
        var clean = await CheckAsync(app, "after seeding");

        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        foreach (var batch in batches)
        {
            var worker = new RentalMetering(scopes, Options.Create(new RentalOptions { MeteringBatchSize = batch, MeteringEnabled = false }), clock);
            var raw = new MeteringBaseline(dataSource, batch, setBased: false);
            var rawSet = new MeteringBaseline(dataSource, batch, setBased: true);
            var paths = new (string Name, Func<Task<int>> Run)[]
            {
                ("worker", async () => (await worker.RunOnceAsync(CancellationToken.None)).Charged),
                ("raw", () => raw.RunOnceAsync(clock.Now())),
                ("raw-set", () => rawSet.RunOnceAsync(clock.Now())),
            };
            var samples = paths.ToDictionary(p => p.Name, _ => new List<Pass>());
            for (var p = 0; p <= passes; p++)
            {
                foreach (var (path, run) in paths)
                {
                    clock.Advance(step);
                    var pass = await MeasureAsync(connectionString, run);
                    var label = p == 0 ? "warm-up" : $"pass {p}";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  batch {batch,4} {path,-7} {label,-7}: {pass.Charged} charges in {pass.Seconds:F2} s = {pass.PerSecond,6:F0}/s; CPU per charge: bench process {pass.ProcessMs / pass.Charged * 1000:F0} us, PostgreSQL backends {pass.PostgresTicks * 1000.0 / clockTicksPerSecond / pass.Charged * 1000:F0} us"));
                    if (pass.Charged != rentals)
                    {
                        Console.WriteLine($"  WARNING: {pass.Charged} rentals charged, {rentals} expected");
                    }
                    if (p > 0)
                    {
                        samples[path].Add(pass);
                    }
                }
            }
            var rates = samples.ToDictionary(s => s.Key, s => Median(s.Value.Select(pass => pass.PerSecond)));
            foreach (var (path, list) in samples)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"RESULT metering batch={batch} path={path} rentals={rentals} passes={passes} charges_per_s={rates[path]:F0} per_pass={string.Join('/', list.Select(s => s.PerSecond.ToString("F0", CultureInfo.InvariantCulture)))} process_us={Median(list.Select(s => s.ProcessMs / s.Charged * 1000)):F0} pg_us={Median(list.Select(s => s.PostgresTicks * 1e6 / clockTicksPerSecond / s.Charged)):F0}"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT metering batch={batch} ratio={rates["worker"] / rates["raw"]:F2} ratio_set={rates["worker"] / rates["raw-set"]:F2} (targets: worker >= 10000/s, ratio >= 0.50)"));
        }
        clean &= await CheckAsync(app, "after the run");
        return clean ? 0 : 1;
    }

    /// <summary>The API's data set-up and the rentals feature (its ledger check extension included), with the bench's clock; nothing is started.</summary>
    private static WebApplication Host(string connectionString, TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders(); // EF's per-command log lines would be measured too
        builder.Configuration["ConnectionStrings:Market"] = connectionString;
        builder.Configuration["Rentals:MeteringEnabled"] = "false";
        builder.AddMarketData();
        builder.AddRentals();
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton<LedgerCheck>();
        return builder.Build();
    }

    private static async Task<bool> CheckAsync(WebApplication app, string when)
    {
        var report = await app.Services.GetRequiredService<LedgerCheck>().RunAsync(CancellationToken.None);
        var differences = report.Extensions.Where(e => !e.Consistent).SelectMany(e => e.Differences.Select(d => $"{e.Name}: {d}")).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  ledger check {when}: {(report.Consistent ? "clean" : "NOT CLEAN")} ({report.Journals} journals, {report.LedgerAccounts} ledger accounts; {report.UnbalancedJournals.Count} unbalanced journals, {report.BalanceMismatches.Count} balance mismatches, {report.NegativeBalances.Count} negative balances, sum of balances {report.SumOfBalances}, {differences.Length} escrow differences)"));
        foreach (var difference in differences.Take(5))
        {
            Console.WriteLine($"    {difference}");
        }
        Console.WriteLine($"RESULT metering ledger_check_{when.Replace(' ', '_')}={(report.Consistent ? "clean" : "not_clean")}");
        return report.Consistent;
    }

    private static async Task<Pass> MeasureAsync(string connectionString, Func<Task<int>> run)
    {
        var postgresBefore = await BackendCpu.SnapshotAsync(connectionString, ApplicationName);
        var processBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var charged = await run();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var processMs = (Process.GetCurrentProcess().TotalProcessorTime - processBefore).TotalMilliseconds;
        var (ticks, _) = BackendCpu.Between(postgresBefore, await BackendCpu.SnapshotAsync(connectionString, ApplicationName));
        return new Pass(charged, elapsed.TotalSeconds, processMs, ticks);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record Pass(int Charged, double Seconds, double ProcessMs, long PostgresTicks)
    {
        public double PerSecond => Charged / Seconds;
    }

    /// <summary>A clock that stands still until the benchmark moves it (the worker reads it through TimeProvider).</summary>
    private sealed class BenchClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks = start.UtcTicks - start.UtcTicks % TimeSpan.TicksPerMicrosecond;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
