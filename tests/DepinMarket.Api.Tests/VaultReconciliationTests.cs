using System.Numerics;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using static DepinMarket.Api.Tests.Infrastructure.DepositWatcherApi;
using static DepinMarket.Api.Tests.Infrastructure.ManualMiningApi;

namespace DepinMarket.Api.Tests;

/// <summary>The ledger check's vault reconciliation reports tokens the vault got outside a deposit, to the base unit.</summary>
public sealed class VaultReconciliationTests(DepositWatcherApi api) : IClassFixture<DepositWatcherApi>
{
    [Fact]
    public async Task Tokens_sent_to_the_vault_without_a_deposit_show_as_a_difference_to_the_base_unit()
    {
        var account = await api.SignUpAsync();
        var tx = await api.DepositAsync(ReferenceOf(account.Id), BigInteger.Parse("2000000000000000000"));
        await api.MineAsync();
        await UntilAsync(async () => await StatusAsync(account.Http, tx) == "credited", "the deposit credited");
        await api.AssertVaultReconciledAsync();

        await api.Anvil.Client(Depositor).GetContractHandler(api.Contracts.Token)
            .SendRequestAndWaitForReceiptAsync(new TransferFunction { To = api.Contracts.Vault.ToString(), Value = 7 });
        await api.MineAsync();
        string? difference = null;
        await UntilAsync(async () =>
        {
            var vault = (await api.LedgerCheckAsync())["extensions"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "vault")!;
            difference = vault["differences"]!.AsArray().SingleOrDefault()?.GetValue<string>();
            return difference is not null;
        }, "the difference reported");
        Assert.Contains("(2000000000000000007 base units)", difference);
        Assert.Contains("difference 0.000000000000000007 (7 base units)", difference);
        Assert.False((await api.LedgerCheckAsync())["consistent"]!.GetValue<bool>());
    }
}
