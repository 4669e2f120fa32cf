using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Settlement;
using DepinMarket.Chain;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Util;
using DepinMarket.Domain.Settlement;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

/// <summary>
/// settlement --conn C [--rpc URL] [--payouts 10000] [--batch 400] [--minimum 1] [--balances all|N] [--baseline yes|no] [--repo DIR]
/// Issue 9's end-to-end settlement benchmark: --payouts providers' earnings leave the ledger, are paid on chain and
/// are reconciled, through the API's own <see cref="SettlementWorker"/> with the API's service registrations
/// (<see cref="SettlementHost"/>) on a real anvil (its own, unless --rpc names one with anvil's dev accounts) and a
/// real PostgreSQL database (--conn; migrated here, refused unless empty). Seeded by <see cref="SettlementSeed"/>,
/// the same total minted to the vault. Timed: from the first <see cref="SettlementWorker.RunOnceAsync"/> (gather
/// included) until no batch is open, every one confirmed; then the reconciliation (the deposit watcher's pass to the
/// head and the ledger check with the vault's). Counted: settlement_attempts (transactions signed), blocks and
/// receipt gasUsed (<see cref="SettlementChecks.ChainAsync"/>, which also matches each batch's events with its
/// stored lines and reads the wallets' balances). Then the same payouts sent raw (<see cref="SettlementBaseline"/>).
/// Prints "RESULT settlement ..." lines; judges nothing (scripts/bench/settlement.sh compares with the target).
/// </summary>
internal static class SettlementBench
{
    private const int MaxPasses = 50;

    public static async Task<int> RunAsync(Bench.Options o)
    {
        var ct = CancellationToken.None;
        var count = o.GetInt("payouts", 10_000);
        var maxRecipients = o.GetInt("batch", 400);
        var minimum = o.Has("minimum") ? o.Get("minimum") : "1";
        var balances = o.Has("balances") && o.Get("balances") != "all" ? int.Parse(o.Get("balances"), CultureInfo.InvariantCulture) : int.MaxValue;
        var baseline = !o.Has("baseline") || o.Get("baseline") != "no";
        var connectionString = new NpgsqlConnectionStringBuilder(o.Get("conn")) { ApplicationName = "depinmarket-bench-settlement" }.ConnectionString;

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        await using var node = o.Has("rpc") ? null : await AnvilProcess.StartAsync(AnvilProcess.FindRepositoryRoot(o), string.Empty);
        var rpcUrl = node?.RpcUrl ?? new Uri(o.Get("rpc"));
        var (contracts, deployer, chainId) = await SettlementHost.DeployAsync(http, rpcUrl, ct);
        await using var app = SettlementHost.Build(connectionString, rpcUrl, chainId, contracts, maxRecipients, minimum);
        var settlementOptions = app.Services.GetRequiredService<IOptions<SettlementOptions>>().Value; // validated here, as at the API's start
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  node {rpcUrl} (chain {chainId}); token {contracts.Token}, vault {contracts.Vault}; at most {settlementOptions.MaxRecipientsPerTransaction} recipients per transaction, minimum payout {settlementOptions.MinimumPayout}"));

        await SettlementHost.MigrateAsync(app);
        var seeding = Stopwatch.StartNew();
        var seeded = await SettlementSeed.SeedAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), count, DateTimeOffset.UtcNow);
        await MarketContracts.MintAsync(deployer, contracts.Token, contracts.Vault, seeded.Total, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  seeded {count} providers with verified fresh wallets and earnings of 1 to 100 tokens ({new DepinMarket.Domain.Money.TokenAmount(seeded.Total)} in all, minted to the vault) in {seeding.Elapsed.TotalSeconds:F1} s"));
        var clean = await SettlementChecks.LedgerAsync(app, "after seeding", ct);

        var reader = new ChainClient(http, new ChainOptions { RpcUrl = rpcUrl, ChainId = chainId });
        var headBefore = (long)await reader.Eth.BlockNumberAsync(ct);
        var worker = app.Services.GetRequiredService<SettlementWorker>();
        // A running API has built its EF model long before a settlement run: built here, outside the timing.
        await OpenBatchesAsync(app, ct);
        var started = Stopwatch.GetTimestamp();
        var passes = 0;
        var open = -1;
        while (open != 0 && passes < MaxPasses)
        {
            var passStarted = Stopwatch.GetTimestamp();
            var run = await worker.RunOnceAsync(gather: passes == 0, ct);
            passes++;
            open = await OpenBatchesAsync(app, ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  pass {passes}: {(run.Holder ? "" : "NOT THE LEASE HOLDER; ")}{(run.Gathered is { } g ? $"gathered {g.Payouts} payouts into {g.Batches} batches; " : "")}{run.OpenBatches} batches open at its start, {open} after; {Stopwatch.GetElapsedTime(passStarted).TotalSeconds:F2} s"));
        }
        var settled = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (open != 0)
        {
            Console.WriteLine($"  NOT SETTLED: {open} batches still open after {passes} passes");
        }
        var headAfter = (long)await reader.Eth.BlockNumberAsync(ct);

        var reconciling = Stopwatch.GetTimestamp();
        clean &= await SettlementChecks.LedgerAsync(app, "after settlement", ct);
        var reconciled = Stopwatch.GetElapsedTime(reconciling).TotalSeconds;
        var checking = Stopwatch.GetTimestamp();
        var figures = await SettlementChecks.ChainAsync(app, reader, seeded, balances, ct);
        var chainChecked = Stopwatch.GetElapsedTime(checking).TotalSeconds;
        var phases = await PhasesAsync(app, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  confirmed {figures.Recipients} payouts in {figures.Batches} batches, {figures.Attempts} transactions signed, {figures.Blocks} blocks ({headAfter - headBefore} mined meanwhile), gasUsed {figures.GasUsed:N0} ({(double)figures.GasUsed / Math.Max(1, figures.Recipients):F0} per payout) in {passes} passes, {settled:F2} s; reconciled in {reconciled:F2} s"));
        Console.WriteLine($"  inside the passes (the rows' own timestamps): {phases}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  on chain: {figures.Batches} batches' receipts and PayoutBatch/Payout events compared with the stored batches, {figures.BalancesChecked} wallet balances read ({chainChecked:F1} s): {(figures.Problems.Count == 0 ? "all as owed" : $"{figures.Problems.Count} PROBLEMS")}"));
        foreach (var problem in figures.Problems.Take(5))
        {
            Console.WriteLine($"    {problem}");
        }
        var paidAll = open == 0 && figures.Recipients == count && figures.Problems.Count == 0;

        var raw = baseline
            ? await SettlementBaseline.RunAsync(http, rpcUrl, await BatchLinesAsync(app, ct), settlementOptions.GasBase, settlementOptions.GasPerRecipient, ct)
            : null;
        if (raw is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  raw baseline: the same {raw.Transactions} payout transactions signed and sent straight from the settler key (no ledger): {raw.Seconds:F2} s, gasUsed {raw.GasUsed:N0}{(raw.Reverted > 0 ? $", {raw.Reverted} REVERTED" : "")}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT settlement payouts={figures.Recipients} expected={count} batch={settlementOptions.MaxRecipientsPerTransaction} batches={figures.Batches} transactions={figures.Attempts} blocks={figures.Blocks} gas_used={figures.GasUsed} gas_per_payout={(double)figures.GasUsed / Math.Max(1, figures.Recipients):F0} passes={passes} settle_s={settled:F2} reconcile_s={reconciled:F2} total_s={settled + reconciled:F2} payouts_per_s={figures.Recipients / settled:F0} chain_problems={figures.Problems.Count} balances_checked={figures.BalancesChecked} ledger={(clean ? "clean" : "not_clean")}"));
        if (raw is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT settlement-raw transactions={raw.Transactions} raw_s={raw.Seconds:F2} gas_used={raw.GasUsed} reverted={raw.Reverted} ratio={settled / raw.Seconds:F1}"));
        }
        return clean && paidAll && raw is not { Reverted: > 0 } ? 0 : 1;
    }

    private static async Task<int> OpenBatchesAsync(WebApplication app, CancellationToken ct)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MarketDbContext>().Set<SettlementBatch>().CountAsync(b =>
            b.Status == SettlementBatchStatus.Pending || b.Status == SettlementBatchStatus.Stored || b.Status == SettlementBatchStatus.Sent, ct);
    }

    /// <summary>Where the time went, from the rows: gather (batch created to first attempt signed), signing and broadcasting, confirming.</summary>
    private static async Task<string> PhasesAsync(WebApplication app, CancellationToken ct)
    {
        await using var command = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("""
            select extract(epoch from (select min(signed_at) from settlement_attempts) - (select min(created_at) from settlement_batches)),
                   extract(epoch from (select max(broadcast_at) from settlement_attempts) - (select min(signed_at) from settlement_attempts)),
                   extract(epoch from (select max(settled_at) from settlement_batches) - (select max(broadcast_at) from settlement_attempts))
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        string At(int i) => reader.IsDBNull(i) ? "?" : reader.GetDecimal(i).ToString("F2", CultureInfo.InvariantCulture);
        return $"gather and outbox {At(0)} s, signing, storing and broadcasting every batch {At(1)} s, receipts and ledger moves {At(2)} s";
    }

    /// <summary>Each batch's payout call as the worker signed it: recipients and amounts in position order.</summary>
    private static async Task<IReadOnlyList<(EthereumAddress[] Wallets, BigInteger[] Amounts)>> BatchLinesAsync(WebApplication app, CancellationToken ct)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        var order = await db.Set<SettlementBatch>().AsNoTracking().OrderBy(b => b.CreatedAt).ThenBy(b => b.Id).Select(b => b.Id).ToListAsync(ct);
        var lines = (await db.Set<SettlementRecipient>().AsNoTracking().ToListAsync(ct)).ToLookup(r => r.BatchId);
        return [.. order.Select(id => lines[id].OrderBy(r => r.Position).ToArray())
            .Select(l => (l.Select(r => EthereumAddress.Parse(r.Wallet)).ToArray(), l.Select(r => r.Amount.BaseUnits).ToArray()))];
    }
}
