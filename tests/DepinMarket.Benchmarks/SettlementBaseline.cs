using System.Diagnostics;
using System.Numerics;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Util;

/// <summary>
/// The settlement benchmark's baseline: the same payout calls (the worker's own batches: the same recipients, amounts,
/// order and gas limit) signed and sent straight from the settler key through the product's Chain library, with no
/// database, no ledger, no outbox, no lease: what anvil and the library alone take. On a fresh token and vault of
/// its own (<see cref="GasChain.DeployAsync"/>), so the recipients are new holders there too and pay the same gas.
/// Like one worker pass, every batch is sent first and the receipts are collected after.
/// </summary>
internal static class SettlementBaseline
{
    public sealed record Result(int Transactions, double Seconds, BigInteger GasUsed, int Reverted);

    public static async Task<Result> RunAsync(HttpClient http, Uri rpcUrl, IReadOnlyList<(EthereumAddress[] Wallets, BigInteger[] Amounts)> batches,
        long gasBase, long gasPerRecipient, CancellationToken ct)
    {
        var chain = await GasChain.DeployAsync(http, rpcUrl, ct);
        var vault = chain.Settler.GetContractHandler(chain.Contracts.Vault);
        var receipts = chain.Settler.TransactionManager!.TransactionReceiptService;
        var started = Stopwatch.GetTimestamp();
        var hashes = new List<string>(batches.Count);
        foreach (var (wallets, amounts) in batches)
        {
            hashes.Add(await vault.SendRequestAsync(GasChain.Payout(wallets, amounts, gasBase + (gasPerRecipient * wallets.Length)), ct));
        }
        var mined = new List<TransactionReceipt>(hashes.Count);
        foreach (var hash in hashes)
        {
            mined.Add(await receipts.PollForReceiptAsync(hash, ct));
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new Result(mined.Count, seconds, mined.Aggregate(BigInteger.Zero, (sum, r) => sum + r.GasUsed), mined.Count(r => !r.Succeeded()));
    }
}
