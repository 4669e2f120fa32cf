using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Settlement;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Crypto;
using Microsoft.Extensions.DependencyInjection;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// The API on an anvil of its own (automine unless a test turns it off), confirmation depth 1, settlement
/// driven by the test (<see cref="SettleAsync"/>), earnings paid from 0.01 token, and the deposit watcher left to
/// credit nothing (the tests fund accounts as deposits and mint the same tokens to the vault, so the ledger and the
/// vault agree).
/// </summary>
public class SettlementApi : ManualMiningApi
{
    protected override IReadOnlyDictionary<string, string> ChainSettings => new Dictionary<string, string>(base.ChainSettings)
    {
        ["Settlement:MinimumPayoutTokens"] = "0.01",
        ["Settlement:MinimumBurnTokens"] = "0.000001",
        ["Settlement:ReplaceAfter"] = "00:00:01",
        ["Deposits:PollInterval"] = "00:00:00.050",
    };

    internal SettlementWorker Worker => Services.GetRequiredService<SettlementWorker>();

    /// <summary>One settlement pass with a gather, then passes until no batch is open (at most 10).</summary>
    internal async Task<SettlementRun> SettleAsync()
    {
        var first = await Worker.RunOnceAsync(gather: true, CancellationToken.None);
        for (var i = 0; i < 10 && (await Worker.RunOnceAsync(gather: false, CancellationToken.None)).OpenBatches > 0; i++)
        {
        }
        return first;
    }

    /// <summary>Credits the account as a deposit and mints the same tokens to the vault, so the vault holds what the ledger says.</summary>
    public async Task FundWithVaultAsync(Guid accountId, string tokens)
    {
        await this.FundAsync(accountId, tokens);
        await MintToVaultAsync(tokens);
    }

    /// <summary>Mints tokens to the vault (as deposits the ledger does not know of yet would bring).</summary>
    public Task<string> MintToVaultAsync(string tokens) =>
        MarketContracts.MintAsync(Anvil.Client(Settler), Contracts.Token, Contracts.Vault, Domain.Money.TokenAmount.Parse(tokens).BaseUnits, CancellationToken.None);

    public static async Task<string> WalletOfAsync(TestAccount account) =>
        (await account.Http.GetFromJsonAsync<JsonObject>("/v1/accounts/me"))!["walletAddress"]!.GetValue<string>();

    /// <summary>A provider whose payout wallet is verified (wallet sign-in), with its key to read the wallet's balance.</summary>
    public async Task<(TestAccount Account, string Wallet)> VerifiedProviderAsync()
    {
        var key = EthECKey.GenerateKey();
        var account = await this.SignUpWithWalletAsync(key.GetPublicAddress(), "provider");
        await account.Http.VerifyWalletAsync(this, key);
        return (account, key.GetPublicAddress());
    }

    public static async Task<JsonObject> PayoutsAsync(TestAccount account) => (await account.Http.GetFromJsonAsync<JsonObject>("/v1/payouts"))!;

    public async Task<JsonArray> BatchesAsync() =>
        (await Client(OperatorKey).GetFromJsonAsync<JsonObject>("/v1/admin/settlement/batches"))!["items"]!.AsArray();

    /// <summary>
    /// The ledger check once the deposit watcher has read up to the chain's head: the vault check compares the vault at
    /// the watcher's last block, and these tests move tokens into the vault without it.
    /// </summary>
    public async Task AssertSettledLedgerCleanAsync()
    {
        var head = (long)await Anvil.Client(null).Eth.BlockNumberAsync();
        var dataSource = Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        await ManualMiningApi.UntilAsync(async () =>
        {
            await using var command = dataSource.CreateCommand("select coalesce((select last_block from deposit_scan where id = 1), -1)");
            return (long)(await command.ExecuteScalarAsync())! >= head;
        }, "the deposit watcher at the chain's head");
        await this.AssertLedgerCleanAsync();
        var reconciled = (await Client(OperatorKey).GetFromJsonAsync<JsonObject>("/v1/admin/settlement/reconcile"))!;
        Assert.True(reconciled["consistent"]!.GetValue<bool>(), reconciled.ToJsonString());
    }

    public async Task<BigInteger> TotalSupplyAsync() =>
        await Anvil.Client(null).GetContractHandler(Contracts.Token)
            .QueryAsync<Chain.Contracts.DepinToken.ContractDefinition.TotalSupplyFunction, BigInteger>(new());
}

/// <summary><see cref="SettlementApi"/> reaching its node through a <see cref="NodeRelay"/>, to lose or cut its requests.</summary>
public sealed class SettlementFaultApi : SettlementApi
{
    protected override bool Relayed => true;
}
