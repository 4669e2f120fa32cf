using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Util;
using Vault = DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;

/// <summary>
/// gas [--rpc URL] [--cap-rpc URL|none] [--sizes 1,10,100,500] [--repo DIR]
/// Issue 9's payout gas benchmark, on a real anvil (its own, started through scripts/anvil-node.sh on a free port,
/// unless --rpc names one: it must be anvil with its default dev accounts). Deploys the token and the vault, mints
/// to the vault, then for each size n and each kind of recipient, NEW holders (never held DPIN: each transfer writes a
/// fresh balance slot) and EXISTING holders (seeded with 1 DPIN first), pays n recipients once through
/// <c>DepinVault.payout</c> (one transaction) and n others the same amounts by plain ERC-20 <c>transfer</c> from a
/// holding account (n transactions), and reports receipt gasUsed per recipient and transfer/payout. Every recipient's
/// balance is checked afterwards. Then the largest payout that fits one block (<see cref="GasLimitProbe"/>), and the
/// largest within EIP-7825's per-transaction cap on a second anvil that enforces it (--cap-rpc; none to skip).
/// Prints a table and "RESULT ..." lines; it judges nothing (scripts/bench/gas.sh compares with the target).
/// </summary>
internal static class GasBench
{
    public static async Task<int> RunAsync(Bench.Options o)
    {
        var ct = CancellationToken.None;
        var sizes = (o.Has("sizes") ? o.Get("sizes") : "1,10,100,500").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Order().ToArray();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        await using var node = o.Has("rpc") ? null : await AnvilProcess.StartAsync(AnvilProcess.FindRepositoryRoot(o), string.Empty);
        var rpcUrl = node?.RpcUrl ?? new Uri(o.Get("rpc"));
        var chain = await GasChain.DeployAsync(http, rpcUrl, ct);
        var blockGasLimit = await chain.BlockGasLimitAsync(ct);
        var description = await DescribeAsync(http, rpcUrl, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  node {rpcUrl} ({description}), block gas limit {blockGasLimit}; token {chain.Contracts.Token}, vault {chain.Contracts.Vault}"));

        var rows = new List<Row>();
        foreach (var existing in new[] { false, true })
        {
            foreach (var n in sizes)
            {
                var row = await MeasureAsync(chain, n, existing, ct);
                rows.Add(row);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"RESULT gas holders={row.Holders} recipients={n} payout_gas={row.PayoutGas} payout_per_recipient={row.PayoutPerRecipient:F0} transfer_gas={row.TransferGas} transfer_per_recipient={row.TransferPerRecipient:F0} ratio={row.Ratio:F2}"));
            }
        }
        PrintTable(rows);

        // Marginal gas per recipient from the two largest sizes: what one more recipient adds to a payout transaction.
        var lines = new Dictionary<string, (double Marginal, double Fixed)>();
        foreach (var holders in new[] { "new", "existing" })
        {
            var (a, b) = (rows.Last(r => r.Holders == holders && r.Recipients < sizes[^1]), rows.Last(r => r.Holders == holders));
            var marginal = (double)(b.PayoutGas - a.PayoutGas) / (b.Recipients - a.Recipients);
            var fixedGas = (double)b.PayoutGas - (marginal * b.Recipients);
            lines[holders] = (marginal, fixedGas);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT gas-marginal holders={holders} per_recipient={marginal:F1} fixed={fixedGas:F0} from={a.Recipients},{b.Recipients}"));
        }

        // Worst case for the bound: every recipient a new holder.
        var (m, f) = lines["new"];
        await GasLimitProbe.RunAsync(chain, "block", blockGasLimit, m, f, ct);
        if (!(o.Has("cap-rpc") && o.Get("cap-rpc") == "none"))
        {
            await using var capNode = o.Has("cap-rpc") ? null : await AnvilProcess.StartAsync(AnvilProcess.FindRepositoryRoot(o), "--enable-tx-gas-limit");
            var capUrl = capNode?.RpcUrl ?? new Uri(o.Get("cap-rpc"));
            var capChain = await GasChain.DeployAsync(http, capUrl, ct);
            var capBlockLimit = await capChain.BlockGasLimitAsync(ct);
            Console.WriteLine($"  EIP-7825 node {capUrl} (anvil --enable-tx-gas-limit), block gas limit {capBlockLimit}");
            await GasLimitProbe.RunAsync(capChain, "eip7825", BigInteger.Min(capBlockLimit, GasLimitProbe.Eip7825TransactionGasCap), m, f, ct);
        }
        return 0;
    }

    private static async Task<Row> MeasureAsync(GasChain chain, int n, bool existing, CancellationToken ct)
    {
        var amounts = GasChain.Amounts(n);
        var batchTo = GasChain.FreshAddresses(n);
        var singleTo = GasChain.FreshAddresses(n);
        var start = existing ? GasChain.Dpin : BigInteger.Zero;
        if (existing)
        {
            await chain.SeedHoldersAsync([.. batchTo, .. singleTo], ct);
        }

        var payout = GasChain.Require(await chain.PayoutAsync(GasChain.Payout(batchTo, amounts), ct), $"payout of {n}");
        if (payout.DecodeAllEvents<Vault.PayoutEventDTO>().Count != n)
        {
            throw new InvalidOperationException($"payout of {n} emitted {payout.DecodeAllEvents<Vault.PayoutEventDTO>().Count} Payout events");
        }
        var transferGas = BigInteger.Zero;
        for (var i = 0; i < n; i++)
        {
            transferGas += (await chain.TransferAsync(singleTo[i], amounts[i], ct)).GasUsed;
        }

        // Both ways must have paid exactly what they were given to pay.
        for (var i = 0; i < n; i++)
        {
            await ExpectBalanceAsync(chain, batchTo[i], start + amounts[i], ct);
            await ExpectBalanceAsync(chain, singleTo[i], start + amounts[i], ct);
        }
        return new Row(existing ? "existing" : "new", n, payout.GasUsed, transferGas);
    }

    private static async Task ExpectBalanceAsync(GasChain chain, EthereumAddress holder, BigInteger expected, CancellationToken ct)
    {
        var balance = await chain.BalanceAsync(holder, ct);
        if (balance != expected)
        {
            throw new InvalidOperationException($"{holder} holds {balance}, expected {expected}");
        }
    }

    private static void PrintTable(List<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine("  | holders | recipients | payout: gasUsed (1 tx) | payout: gas / recipient | transfers: gasUsed (n tx) | transfers: gas / recipient | transfer / payout |");
        Console.WriteLine("  | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  | {r.Holders} | {r.Recipients} | {r.PayoutGas:N0} | {r.PayoutPerRecipient:N0} | {r.TransferGas:N0} | {r.TransferPerRecipient:N0} | {r.Ratio:F2}× |"));
        }
        Console.WriteLine();
    }

    /// <summary>"anvil 1.7.1, hardfork Bpo1" when the node is anvil; the client version otherwise.</summary>
    private static async Task<string> DescribeAsync(HttpClient http, Uri rpcUrl, CancellationToken ct)
    {
        var rpc = new EthJsonRpcClient(http, rpcUrl, TimeSpan.FromSeconds(10));
        var version = await rpc.SendRequestAsync<string>("web3_clientVersion", ct);
        try
        {
            var info = await rpc.SendRequestAsync<JsonElement>("anvil_nodeInfo", ct);
            return $"{version}, hardfork {info.GetProperty("hardFork").GetString()}";
        }
        catch (RpcException)
        {
            return version;
        }
    }

    private sealed record Row(string Holders, int Recipients, BigInteger PayoutGas, BigInteger TransferGas)
    {
        public double PayoutPerRecipient => (double)PayoutGas / Recipients;

        public double TransferPerRecipient => (double)TransferGas / Recipients;

        public double Ratio => TransferPerRecipient / PayoutPerRecipient;
    }
}
