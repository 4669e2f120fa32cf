using System.Numerics;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;
using DepinMarket.Chain.Rpc;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Settlement;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DepinMarket.Api.Features.Settlement;

/// <param name="Vault">The vault's balance now against what the ledger holds for it.</param>
/// <param name="BatchesChecked">Confirmed batches compared with their events (the newest, up to the limit).</param>
/// <param name="Supply">The supply against mints and burns; null when not asked for (the check after each pass skips it).</param>
/// <param name="Differences">Every difference found, each with its likely cause; empty when all agree.</param>
public sealed record ReconciliationReport(bool Consistent, VaultBalance Vault, int BatchesChecked, SupplyCheck? Supply, IReadOnlyList<string> Differences);

/// <param name="Ledger">What the ledger holds for the vault: minus the chain account's balance (balances, escrow, earnings, stakes, settling, fees, burn, suspense).</param>
/// <param name="DepositsNotYetCredited">Deposits the watcher saw that are not credited yet: in the vault, not yet in the ledger.</param>
/// <param name="InFlight">Open batches: they leave the vault when mined and the ledger when confirmed.</param>
public sealed record VaultBalance(long Block, TokenAmount OnChain, TokenAmount Ledger, TokenAmount DepositsNotYetCredited, TokenAmount InFlight);

/// <param name="Minted">Every Transfer from the zero address since the token was deployed.</param>
/// <param name="Burned">Every Transfer to the zero address.</param>
/// <param name="BurnedBySettlement">The confirmed burn batches.</param>
public sealed record SupplyCheck(TokenAmount TotalSupply, TokenAmount Minted, TokenAmount Burned, TokenAmount BurnedBySettlement);

/// <summary>
/// GET /v1/admin/settlement/reconcile: the chain against the ledger, three ways. The vault's token balance against
/// what the ledger holds for it; every confirmed batch against the PayoutBatch/Payout (or FeesBurned) events of its
/// receipt; the token's supply against its mints and burns, and the burns against the confirmed burn batches. Each
/// difference says what most likely caused it. It also runs after every settlement pass that confirmed a batch.
/// </summary>
internal sealed class SettlementReconciliation(IServiceScopeFactory scopes, MarketChain chain, IConfiguration configuration)
{
    private static readonly string LedgerSql = $"""
        select -(select balance from ledger_accounts where id = {PlatformLedgerAccounts.Chain}),
               (select coalesce(sum(amount), 0) from deposits where status = 'pending'),
               (select coalesce(sum(total), 0) from settlement_batches where status in ('pending', 'stored', 'sent'))
        """;

    /// <param name="supply">
    /// Also the supply against every mint and burn since deployment: a log scan of the token's whole life, so the
    /// operator's endpoint asks for it and the check after every settlement pass does not.
    /// </param>
    public async Task<ReconciliationReport> ReconcileAsync(int batchLimit, bool supply, CancellationToken cancellationToken)
    {
        var client = chain.Client ?? throw new Domain.DomainException(Domain.DomainErrorKind.Unavailable, "No chain configured.", "Reconciliation needs Chain:RpcUrl.");
        var (token, vault) = (chain.Token ?? throw NotDeployed(), chain.Vault ?? throw NotDeployed());
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        var differences = new List<string>();

        var head = await client.Eth.BlockNumberAsync(cancellationToken);
        var tokenHandler = client.GetContractHandler(token);
        var onChain = await tokenHandler.QueryAsync<BalanceOfFunction, BigInteger>(new() { Account = vault.ToString() }, BlockParameter.FromNumber(head), cancellationToken);
        var (held, uncredited, inFlight) = await LedgerSideAsync(db, cancellationToken);
        var vaultBalance = new VaultBalance((long)head, new TokenAmount(onChain), new TokenAmount(held), new TokenAmount(uncredited), new TokenAmount(inFlight));
        var gap = onChain - held;
        if (gap != 0)
        {
            differences.Add($"the vault holds {new TokenDelta(onChain)} tokens, the ledger accounts for {new TokenDelta(held)}: difference {new TokenDelta(gap)}; " + VaultCause(gap, uncredited, inFlight));
        }

        var confirmed = await db.Set<SettlementBatch>().AsNoTracking().Where(b => b.Status == SettlementBatchStatus.Confirmed)
            .OrderByDescending(b => b.SettledAt).ThenByDescending(b => b.Id).Take(batchLimit).ToListAsync(cancellationToken);
        foreach (var batch in confirmed)
        {
            differences.AddRange(await BatchDifferencesAsync(db, client, batch, cancellationToken));
        }

        var supplyCheck = supply ? await SupplyAsync(db, tokenHandler, head, cancellationToken) : null;
        if (supplyCheck is { } checkedSupply)
        {
            differences.AddRange(SupplyDifferences(checkedSupply));
        }
        return new ReconciliationReport(differences.Count == 0, vaultBalance, confirmed.Count, supplyCheck, differences);
    }

    private static IEnumerable<string> SupplyDifferences(SupplyCheck supply)
    {
        if (supply.TotalSupply != supply.Minted - supply.Burned)
        {
            yield return $"the token's totalSupply is {supply.TotalSupply}, but its mints less burns since deployment are {supply.Minted - supply.Burned}: the log scan missed blocks (check Chain:DeployedAtBlock)";
        }
        if (supply.Burned != supply.BurnedBySettlement)
        {
            yield return $"{supply.Burned} tokens were burned on chain, {supply.BurnedBySettlement} by confirmed burn batches: " +
                (supply.Burned > supply.BurnedBySettlement ? "a holder burned its own tokens (ERC20Burnable allows it), or a burn batch is mined but not yet confirmed" : "a confirmed burn batch has no burn on chain");
        }
    }

    private static async Task<(BigInteger Held, BigInteger Uncredited, BigInteger InFlight)> LedgerSideAsync(MarketDbContext db, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(LedgerSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetFieldValue<BigInteger>(0), reader.GetFieldValue<BigInteger>(1), reader.GetFieldValue<BigInteger>(2));
    }

    private static string VaultCause(BigInteger gap, BigInteger uncredited, BigInteger inFlight) =>
        gap > 0 && gap <= uncredited ? "likely deposits seen but not yet credited (confirming)"
        : gap < 0 && -gap <= inFlight ? "likely a batch mined but not yet confirmed (it leaves the ledger at its confirmation depth)"
        : gap > 0 ? "more in the vault than the ledger knows: tokens sent to the vault without a deposit call, or a deposit the watcher missed"
        : "less in the vault than the ledger holds: a payout or burn the ledger did not record, or tokens credited without reaching the vault";

    private static async Task<IEnumerable<string>> BatchDifferencesAsync(MarketDbContext db, ChainClient client, SettlementBatch batch, CancellationToken cancellationToken)
    {
        var receipt = await client.Eth.GetTransactionReceiptAsync(batch.TransactionHash!, cancellationToken);
        if (receipt is null || !receipt.Succeeded() || (long)receipt.BlockNumber != batch.BlockNumber)
        {
            return [$"batch {batch.Id}: its transaction {batch.TransactionHash} is {(receipt is null ? "unknown to the node" : $"in block {receipt.BlockNumber}, status {receipt.Status}")} " +
                $"but the ledger confirmed it in block {batch.BlockNumber}: likely a reorganisation deeper than the confirmation depth"];
        }
        var id = Convert.ToHexStringLower(batch.ChainId);
        if (batch.Kind == SettlementBatchKind.Burn)
        {
            var burned = receipt.DecodeAllEvents<FeesBurnedEventDTO>().Where(e => Convert.ToHexStringLower(e.Event.BatchId) == id)
                .Aggregate(BigInteger.Zero, (sum, e) => sum + e.Event.Amount);
            return burned == batch.Total.BaseUnits ? [] : [$"burn batch {batch.Id}: FeesBurned says {new TokenAmount(burned)}, the ledger {batch.Total}"];
        }
        var summary = receipt.DecodeAllEvents<PayoutBatchEventDTO>().SingleOrDefault(e => Convert.ToHexStringLower(e.Event.BatchId) == id)?.Event;
        var paid = receipt.DecodeAllEvents<PayoutEventDTO>().Where(e => Convert.ToHexStringLower(e.Event.BatchId) == id)
            .Select(e => (Wallet: e.Event.Recipient.ToLowerInvariant(), e.Event.Amount)).ToList();
        var expected = (await db.Set<SettlementRecipient>().AsNoTracking().Where(r => r.BatchId == batch.Id).OrderBy(r => r.Position).ToListAsync(cancellationToken))
            .Select(r => (Wallet: r.Wallet.ToLowerInvariant(), Amount: r.Amount.BaseUnits)).ToList();
        var found = new List<string>();
        if (summary is null || summary.RecipientCount != batch.RecipientCount || summary.Total != batch.Total.BaseUnits)
        {
            found.Add($"payout batch {batch.Id}: PayoutBatch says {summary?.RecipientCount.ToString() ?? "nothing"} recipients and {(summary is null ? "-" : new TokenAmount(summary.Total).ToString())} tokens, the ledger {batch.RecipientCount} and {batch.Total}");
        }
        if (!paid.SequenceEqual(expected))
        {
            found.Add($"payout batch {batch.Id}: its Payout events do not list the stored recipients and amounts ({paid.Count} events, {expected.Count} recipients)");
        }
        return found;
    }

    private async Task<SupplyCheck> SupplyAsync(MarketDbContext db, IContractHandler token, BigInteger head, CancellationToken cancellationToken)
    {
        var total = await token.QueryAsync<TotalSupplyFunction, BigInteger>(null, BlockParameter.FromNumber(head), cancellationToken);
        var from = new BigInteger(configuration.GetValue<ulong?>("Chain:DeployedAtBlock") ?? 0);
        var range = Math.Max(1, configuration.GetValue<int?>("Deposits:MaxBlockRange") ?? 500);
        BigInteger minted = 0, burned = 0;
        for (var start = from; start <= head; start += range)
        {
            var end = BigInteger.Min(head, start + range - 1);
            foreach (var transfer in await token.GetEventsAsync<TransferEventDTO>(BlockParameter.FromNumber(start), BlockParameter.FromNumber(end), cancellationToken))
            {
                minted += IsZero(transfer.Event.From) ? transfer.Event.Value : 0;
                burned += IsZero(transfer.Event.To) ? transfer.Event.Value : 0;
            }
        }
        var bySettlement = TokenAmount.Sum((await db.Set<SettlementBatch>().AsNoTracking()
            .Where(b => b.Kind == SettlementBatchKind.Burn && b.Status == SettlementBatchStatus.Confirmed).Select(b => b.Total).ToListAsync(cancellationToken)));
        return new SupplyCheck(new TokenAmount(total), new TokenAmount(minted), new TokenAmount(burned), bySettlement);
    }

    private static bool IsZero(string address) => address.TrimStart('0', 'x').Length == 0;

    private static Domain.DomainException NotDeployed() =>
        new(Domain.DomainErrorKind.Unavailable, "Contracts not deployed.", "Reconciliation needs the token and vault addresses (written by 'chain deploy').");
}
