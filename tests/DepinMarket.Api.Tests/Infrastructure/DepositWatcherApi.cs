using System.Globalization;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Tests.Live;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// The API on an anvil of its own (the tests mine, snapshot and revert it) with the deposit watcher polling every
/// 50 ms and a confirmation depth of 2. Anvil's dev account 1 is the depositor: the fixture mints it tokens.
/// </summary>
public class DepositWatcherApi : ManualMiningApi
{
    public const int Depositor = 1;

    protected override IReadOnlyDictionary<string, string> ChainSettings => new Dictionary<string, string>(base.ChainSettings)
    {
        ["Chain:ConfirmationDepth"] = "2",
        ["Deposits:PollInterval"] = "00:00:00.050",
        ["Deposits:MaxBlockRange"] = "3",
    };

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["Chain:DeployedAtBlock"] = Contracts.DeployedAtBlock.ToString(CultureInfo.InvariantCulture),
        // deposit.credited webhooks go to a listener on loopback, soon after they are written.
        ["Webhooks:AllowPrivateNetworks"] = "true",
        ["Webhooks:PollInterval"] = "00:00:00.100",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await MarketContracts.MintAsync(Anvil.Client(0), Contracts.Token, AnvilNode.Account(Depositor), BigInteger.Pow(10, 24), CancellationToken.None);
    }

    /// <summary>Approves and deposits <paramref name="baseUnits"/> for <paramref name="reference"/> from the depositor; returns the deposit's tx hash.</summary>
    public async Task<string> DepositAsync(byte[] reference, BigInteger baseUnits)
    {
        var client = Anvil.Client(Depositor);
        await client.GetContractHandler(Contracts.Token).SendRequestAndWaitForReceiptAsync(
            new ApproveFunction { Spender = Contracts.Vault.ToString(), Value = baseUnits });
        var receipt = await client.GetContractHandler(Contracts.Vault).SendRequestAndWaitForReceiptAsync(
            new DepositFunction { Account = reference, Amount = baseUnits });
        Assert.True(receipt.Succeeded(), "the deposit reverted");
        return receipt.TransactionHash.ToLowerInvariant();
    }

    /// <summary>The account's own 32-byte reference in the watcher's stand-in scheme (16 zero bytes, then the UUID).</summary>
    public static byte[] ReferenceOf(Guid accountId) => Domain.Deposits.DepositReference.For(accountId);

    /// <summary>The caller's deposit with <paramref name="txHash"/> from GET /v1/deposits, or null.</summary>
    public static async Task<JsonObject?> DepositOfAsync(HttpClient account, string txHash)
    {
        var deposits = (await account.GetFromJsonAsync<JsonArray>("/v1/deposits"))!;
        return deposits.Select(d => d!.AsObject()).SingleOrDefault(d => d["transactionHash"]!.GetValue<string>() == txHash);
    }

    public static async Task<string?> StatusAsync(HttpClient account, string txHash) =>
        (await DepositOfAsync(account, txHash))?["status"]?.GetValue<string>();

    public static async Task<string> AvailableAsync(HttpClient account) =>
        (await account.GetFromJsonAsync<JsonObject>("/v1/balances"))!["available"]!.GetValue<string>();
}
