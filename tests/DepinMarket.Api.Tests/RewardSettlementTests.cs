using System.Globalization;
using System.Net;
using DepinMarket.Api.Features.Rewards;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Tests.Live;
using DepinMarket.Domain.Deposits;
using DepinMarket.Domain.Money;
using Microsoft.Extensions.DependencyInjection;

namespace DepinMarket.Api.Tests;

/// <summary>
/// A reward paid on a real anvil by the ordinary settlement path: the pool is funded by a real vault deposit (credited by
/// the deposit watcher) given to the pool, an epoch's reward reaches the provider's earnings, one settlement run pays
/// earnings and reward to its wallet, and the vault reconciliation of the ledger check stays clean.
/// </summary>
public sealed class RewardSettlementTests(RewardSettlementTests.Api api) : IClassFixture<RewardSettlementTests.Api>
{
    /// <summary><see cref="SettlementApi"/> with two-second epochs on the real clock, 10 tokens each without decay, closed by hand.</summary>
    public sealed class Api : SettlementApi
    {
        public static readonly DateTimeOffset Genesis = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        protected override IReadOnlyDictionary<string, string> ChainSettings => new Dictionary<string, string>(base.ChainSettings)
        {
            ["Rewards:Genesis"] = Genesis.ToString("O", CultureInfo.InvariantCulture),
            ["Rewards:EpochLength"] = "00:00:02",
            ["Rewards:DecayEvery"] = "00:00:04",
            ["Rewards:InitialPerEpochTokens"] = "10",
            ["Rewards:MonthlyDecayBps"] = "0",
            ["Rewards:CloseDelay"] = "00:00:00",
            ["Rewards:MaxEpochsPerRun"] = "10000",
            ["Rewards:Enabled"] = "false",
        };
    }

    private const int Depositor = 1;

    [Fact]
    public async Task A_reward_funded_by_a_vault_deposit_is_paid_on_chain_with_the_providers_earnings_and_the_vault_still_reconciles()
    {
        // The funder deposits 50 tokens into the vault for its account from a wallet, as any client does, and gives them to the pool.
        var funder = await api.SignUpAsync("client");
        var amount = TokenAmount.Parse("50").BaseUnits;
        await MarketContracts.MintAsync(api.Anvil.Client(api.Settler), api.Contracts.Token, AnvilNode.Account(Depositor), amount, CancellationToken.None);
        var wallet = api.Anvil.Client(Depositor);
        await wallet.GetContractHandler(api.Contracts.Token).SendRequestAndWaitForReceiptAsync(new ApproveFunction { Spender = api.Contracts.Vault.ToString(), Value = amount });
        Assert.True((await wallet.GetContractHandler(api.Contracts.Vault).SendRequestAndWaitForReceiptAsync(
            new DepositFunction { Account = DepositReference.For(funder.Id), Amount = amount })).Succeeded());
        await ManualMiningApi.UntilAsync(async () => (await funder.BalancesAsync())["available"].Text() == "50", "the deposit credited");
        Assert.Equal(HttpStatusCode.OK, (await funder.Http.PostMoneyAsync("/v1/rewards/pool", new { amount = "50" })).StatusCode);

        // A model rental earns the provider 2 - 2% - 0.25% = 1.955 in the epoch of its usage report.
        var (provider, providerWallet) = await api.VerifiedProviderAsync();
        var offerId = await provider.PublishOfferAsync("model", RentalMarkets.ModelOffer(inputPrice: "1", outputPrice: "0"));
        var client = await api.VerifiedAccountWithIdAsync();
        await api.FundWithVaultAsync(client.Id, "100");
        var rental = await client.RentActiveAsync(provider, new { kind = "model", offerId, budget = "10" });
        Assert.Equal(HttpStatusCode.Created, (await provider.ReportUsageAsync(rental, "r-1", 2_000_000, 0)).StatusCode);
        var reportedAt = DateTimeOffset.UtcNow;

        // Once that epoch has ended, every epoch up to now closes; only that one has a contributor: 90% of 10 to the provider.
        var grid = new Domain.Rewards.EpochGrid(Api.Genesis, TimeSpan.FromSeconds(2));
        var ends = grid.EndOf(grid.FinishedBy(reportedAt));
        var wait = ends - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
        var closer = api.Services.GetRequiredService<RewardEpochCloser>();
        var (closed, last) = await closer.RunOnceAsync(CancellationToken.None);
        Assert.True(closed > 0 && last.Outcome == RewardCloseOutcome.NotDue, $"{closed} closed, then {last}");
        Assert.Equal("10.955", (await provider.BalancesAsync())["earnings"].Text());

        var run = await api.SettleAsync();
        Assert.Equal(1, run.Gathered!.Payouts);
        Assert.Equal(TokenAmount.Parse("10.955").BaseUnits, await api.BalanceOfAsync(providerWallet));
        Assert.Equal("0", (await provider.BalancesAsync())["earnings"].Text());
        await api.AssertSettledLedgerCleanAsync();
    }
}
