using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Features.Settlement;
using DepinMarket.Chain;
using DepinMarket.Chain.Contracts;
using DepinMarket.Domain.Settlement;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Token = DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using Vault = DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;

/// <summary>What the chain says of a settlement run: its transactions, blocks and gas, and what is wrong, if anything.</summary>
/// <param name="Recipients">Recipient lines of the batches confirmed on chain (their receipts found and matched).</param>
internal sealed record ChainFigures(int Batches, int Attempts, int Blocks, BigInteger GasUsed, int Recipients, int BalancesChecked, IReadOnlyList<string> Problems);

/// <summary>
/// The settlement benchmark's checks, after the run and outside its timing: the API's ledger check with the vault
/// reconciliation (the deposit watcher's pass first, so the vault is compared at the chain's head), and on chain every
/// confirmed batch's receipt (success, gasUsed, one <c>PayoutBatch</c> with its count and total, one <c>Payout</c>
/// per recipient line, in order, as stored) and every wallet's token balance against what it was owed.
/// </summary>
internal static class SettlementChecks
{
    public static async Task<bool> LedgerAsync(WebApplication app, string when, CancellationToken ct)
    {
        var block = await SettlementHost.ScanDepositsAsync(app, ct);
        var report = await app.Services.GetRequiredService<LedgerCheck>().RunAsync(ct);
        var vault = report.Extensions.SingleOrDefault(e => e.Name == LedgerCheck.VaultCheckName);
        var differences = report.Extensions.Where(e => !e.Consistent).SelectMany(e => e.Differences.Select(d => $"{e.Name}: {d}")).ToArray();
        // Without the vault's check the ledger would be "clean" without the chain ever being asked: not reconciled.
        var clean = report.Consistent && vault is not null;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  ledger check {when}: {(clean ? "clean" : "NOT CLEAN")} ({report.Journals} journals, {report.LedgerAccounts} ledger accounts; {report.UnbalancedJournals.Count} unbalanced journals, {report.BalanceMismatches.Count} balance mismatches, {report.NegativeBalances.Count} negative balances, sum of balances {report.SumOfBalances}; vault {(vault is null ? "NOT CHECKED" : vault.Consistent ? "reconciled" : "DIFFERS")} at block {block}, {differences.Length} differences)"));
        foreach (var line in differences.Concat(report.NotChecked).Take(5))
        {
            Console.WriteLine($"    {line}");
        }
        Console.WriteLine($"RESULT settlement ledger_check_{when.Replace(' ', '_')}={(clean ? "clean" : "not_clean")}");
        return clean;
    }

    /// <param name="balancesToCheck">How many of the wallets to read balanceOf for (all by default; the first n otherwise).</param>
    public static async Task<ChainFigures> ChainAsync(WebApplication app, ChainClient reader, SettlementSeed.Seeded seeded, int balancesToCheck, CancellationToken ct)
    {
        var problems = new ConcurrentQueue<string>();
        List<SettlementBatch> batches;
        ILookup<Guid, SettlementRecipient> recipients;
        int attempts;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
            batches = await db.Set<SettlementBatch>().AsNoTracking().OrderBy(b => b.CreatedAt).ThenBy(b => b.Id).ToListAsync(ct);
            recipients = (await db.Set<SettlementRecipient>().AsNoTracking().ToListAsync(ct)).OrderBy(r => r.Position).ToLookup(r => r.BatchId);
            attempts = await db.Set<SettlementAttempt>().CountAsync(ct);
        }
        var vault = app.Services.GetRequiredService<DepinMarket.Api.Hosting.MarketChain>().Vault!.Value;
        var gas = BigInteger.Zero;
        var confirmed = 0;
        var blocks = new HashSet<long>();
        foreach (var batch in batches)
        {
            if (batch.Status != SettlementBatchStatus.Confirmed || batch.Kind != SettlementBatchKind.Payout || batch.TransactionHash is null)
            {
                problems.Enqueue($"batch {batch.Id}: {batch.Kind} {batch.Status}, expected a confirmed payout");
                continue;
            }
            var receipt = await reader.Eth.GetTransactionReceiptAsync(batch.TransactionHash, ct);
            if (receipt is null || !receipt.Succeeded() || (long)receipt.BlockNumber != batch.BlockNumber)
            {
                problems.Enqueue($"batch {batch.Id}: receipt of {batch.TransactionHash} {(receipt is null ? "missing" : $"status {receipt.Status} in block {receipt.BlockNumber}")}, batch says block {batch.BlockNumber}");
                continue;
            }
            gas += receipt.GasUsed;
            blocks.Add((long)receipt.BlockNumber);
            var lines = recipients[batch.Id].ToArray();
            confirmed += lines.Length;
            var summary = receipt.DecodeAllEvents<Vault.PayoutBatchEventDTO>().Where(e => IsFrom(e.Log, vault)).Select(e => e.Event).ToArray();
            if (summary is not [var head] || !head.BatchId.SequenceEqual(batch.ChainId) || head.RecipientCount != lines.Length || head.Total != batch.Total.BaseUnits)
            {
                problems.Enqueue($"batch {batch.Id}: PayoutBatch events do not match the batch ({summary.Length} events)");
            }
            var paid = receipt.DecodeAllEvents<Vault.PayoutEventDTO>().Where(e => IsFrom(e.Log, vault)).Select(e => e.Event).ToArray();
            if (paid.Length != lines.Length || !paid.Zip(lines).All(p => p.First.BatchId.SequenceEqual(batch.ChainId)
                    && string.Equals(p.First.Recipient, p.Second.Wallet, StringComparison.OrdinalIgnoreCase) && p.First.Amount == p.Second.Amount.BaseUnits))
            {
                problems.Enqueue($"batch {batch.Id}: {paid.Length} Payout events do not match its {lines.Length} recipient lines");
            }
        }

        // Every wallet was a fresh address paid once: its balance is exactly its earnings.
        var token = reader.GetContractHandler(app.Services.GetRequiredService<DepinMarket.Api.Hosting.MarketChain>().Token!.Value);
        var toCheck = Math.Min(balancesToCheck, seeded.Wallets.Length);
        await Parallel.ForEachAsync(Enumerable.Range(0, toCheck), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, c) =>
        {
            var balance = await token.QueryAsync<Token.BalanceOfFunction, BigInteger>(new() { Account = seeded.Wallets[i].ToString() }, cancellationToken: c);
            if (balance != seeded.Amounts[i])
            {
                problems.Enqueue($"wallet {seeded.Wallets[i]} holds {balance}, owed {seeded.Amounts[i]}");
            }
        });
        return new ChainFigures(batches.Count, attempts, blocks.Count, gas, confirmed, toCheck, [.. problems]);
    }

    private static bool IsFrom(DepinMarket.Chain.Rpc.FilterLog log, DepinMarket.Chain.Util.EthereumAddress contract) =>
        DepinMarket.Chain.Util.EthereumAddress.TryParse(log.Address, out var address) && address == contract;
}
