using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Domain.Money;
using Microsoft.Extensions.DependencyInjection;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Settlement on a real anvil: earnings and withdrawals leave the ledger as one payout batch through the vault, fees
/// are burned, each account sees its tx hash; a batch the vault cannot pay reverts and its money is payable again;
/// nothing is ever paid twice. The ledger check (vault reconciliation included) is clean after each.
/// </summary>
public sealed class SettlementTests(SettlementApi api) : IClassFixture<SettlementApi>
{
    [Fact]
    public async Task After_a_rental_a_run_pays_the_providers_earnings_and_a_withdrawal_on_chain_burns_the_fees_and_a_second_run_pays_nothing_again()
    {
        var (provider, wallet) = await api.VerifiedProviderAsync();
        // Where the provider hears of its payout (the address does not matter: the outbox row and its payload do).
        var (hook, _) = await provider.AddWebhookAsync("https://hooks.example.com/payouts", "payout.paid");
        var offerId = await provider.PublishOfferAsync("model", RentalMarkets.ModelOffer(inputPrice: "1", outputPrice: "0"));
        var client = await api.VerifiedAccountWithIdAsync();
        await api.FundWithVaultAsync(client.Id, "100");
        var rental = await client.RentActiveAsync(provider, new { kind = "model", offerId, budget = "10" });
        // 2,000,000 input tokens at 1 per million: 2 tokens of usage; the provider earns 2 - 2% - 0.25% = 1.955.
        Assert.Equal(HttpStatusCode.Created, (await provider.ReportUsageAsync(rental, "r-1", 2_000_000, 0)).StatusCode);
        await client.ActAsync(rental, "stop");
        Assert.Equal(HttpStatusCode.Created, (await client.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "5" })).StatusCode);
        var supplyBefore = await api.TotalSupplyAsync();
        var burnBefore = await BurnBalanceAsync();
        var batchesBefore = (await api.BatchesAsync()).Count;

        var run = await api.SettleAsync();

        Assert.True(run.Holder);
        Assert.Equal(1, run.Gathered!.Batches);
        Assert.Equal(2, run.Gathered.Payouts);
        Assert.True(run.Gathered.BurnOpened);
        Assert.Equal(TokenAmount.Parse("1.955").BaseUnits, await api.BalanceOfAsync(wallet));
        Assert.Equal(TokenAmount.Parse("5").BaseUnits, await api.BalanceOfAsync(await SettlementApi.WalletOfAsync(client)));
        var payouts = await SettlementApi.PayoutsAsync(provider);
        var paid = Assert.Single(payouts["items"]!.AsArray())!;
        Assert.Equal(("paid", "confirmed", "earnings", "1.955"), (paid["status"].Text(), paid["batchStatus"].Text(), paid["source"].Text(), paid["amount"].Text()));
        Assert.Matches("^0x[0-9a-f]{64}$", paid["transactionHash"].Text());
        Assert.True(paid["confirmations"]!.GetValue<long>() >= 1);
        Assert.Equal("0", payouts["payable"]!["earnings"].Text());
        // The payout.paid webhook carries the same transaction.
        var announced = Assert.Single(await provider.DeliveriesAsync(hook))!["payload"]!;
        Assert.Equal("payout.paid", announced["type"].Text());
        Assert.Equal(paid["transactionHash"].Text(), announced["data"]!["transactionHash"].Text());
        Assert.Equal("1.955", announced["data"]!["amount"].Text());
        Assert.Equal("0", (await provider.BalancesAsync())["earnings"].Text());
        Assert.Equal("0", (await provider.BalancesAsync())["settling"].Text());
        var withdrawal = (await client.Http.GetFromJsonAsync<JsonArray>("/v1/withdrawals"))![0]!;
        Assert.Equal("paid", withdrawal["status"].Text());
        Assert.Equal("0", (await client.BalancesAsync())["settling"].Text());
        // The fees' burn share left the supply: 20% of (2% + 0.25% + the client's 0.25%) of 2 tokens.
        Assert.False(burnBefore.IsZero);
        Assert.Equal(supplyBefore - burnBefore.BaseUnits, await api.TotalSupplyAsync());
        Assert.Equal("0", (await BurnBalanceAsync()).ToString());
        // Newest first: this run's payout batch and burn.
        var batches = (await api.BatchesAsync()).Take((await api.BatchesAsync()).Count - batchesBefore).ToArray();
        Assert.Equal(["burn", "payout"], batches.Select(b => b!["kind"].Text()).Order());
        Assert.All(batches, b => Assert.Equal("confirmed", b!["status"].Text()));
        Assert.All(batches, b => Assert.Single(b!["attempts"]!.AsArray()));
        await api.AssertSettledLedgerCleanAsync();

        // Another run finds nothing payable and sends nothing.
        var again = await api.SettleAsync();
        Assert.Equal((0, 0, false), (again.Gathered!.Batches, again.Gathered.Payouts, again.Gathered.BurnOpened));
        Assert.Equal(TokenAmount.Parse("1.955").BaseUnits, await api.BalanceOfAsync(wallet));
        Assert.Equal(batchesBefore + batches.Length, (await api.BatchesAsync()).Count);
    }

    [Fact]
    public async Task Earnings_below_the_minimum_or_to_an_unverified_wallet_stay_and_the_provider_is_told_why()
    {
        var unverified = await api.SignUpAsync("provider");
        var offerId = await unverified.PublishOfferAsync("model", RentalMarkets.ModelOffer(inputPrice: "1", outputPrice: "0"));
        var client = await api.SignUpAsync("client");
        await api.FundWithVaultAsync(client.Id, "10");
        var rental = await client.RentActiveAsync(unverified, new { kind = "model", offerId, budget = "1" });
        await unverified.ReportUsageAsync(rental, "r-1", 500_000, 0);

        await api.SettleAsync();

        var payouts = await SettlementApi.PayoutsAsync(unverified);
        Assert.Empty(payouts["items"]!.AsArray());
        Assert.Equal("0.48875", payouts["payable"]!["earnings"].Text());
        Assert.Contains("verified wallet", payouts["payable"]!["reason"].Text());
        Assert.Equal("0.48875", (await unverified.BalancesAsync())["earnings"].Text());
        await client.ActAsync(rental, "stop");
        await api.AssertSettledLedgerCleanAsync();
    }

    private async Task<TokenAmount> BurnBalanceAsync()
    {
        var dataSource = api.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        await using var command = dataSource.CreateCommand($"select balance from ledger_accounts where id = {Domain.Ledger.PlatformLedgerAccounts.Burn}");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new TokenAmount(reader.GetFieldValue<BigInteger>(0));
    }
}

/// <summary>A batch the vault cannot pay, on a chain and database of its own (its ledger is ahead of the vault on purpose).</summary>
public sealed class SettlementRevertTests(SettlementApi api) : IClassFixture<SettlementApi>
{
    [Fact]
    public async Task A_batch_the_vault_cannot_pay_reverts_on_chain_its_money_is_payable_again_and_the_next_run_pays_it_once()
    {
        var client = await api.VerifiedAccountWithIdAsync();
        // Funded in the ledger only: the vault does not hold these tokens, so the payout reverts (ERC20InsufficientBalance).
        var vaultBefore = await api.BalanceOfAsync(api.Contracts.Vault.ToString());
        await api.FundAsync(client.Id, "1000000");
        Assert.Equal(HttpStatusCode.Created, (await client.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "1000000" })).StatusCode);

        await api.SettleAsync();

        var reverted = (await api.BatchesAsync()).Select(b => b!.AsObject()).Single(b => b["status"].Text() == "reverted");
        Assert.NotNull(reverted["transactionHash"]);
        var withdrawal = (await client.Http.GetFromJsonAsync<JsonArray>("/v1/withdrawals"))![0]!;
        Assert.Equal("requested", withdrawal["status"].Text());
        Assert.Equal("1000000", (await client.BalancesAsync())["settling"].Text());
        Assert.Equal(vaultBefore, await api.BalanceOfAsync(api.Contracts.Vault.ToString()));
        // Reconciliation names the gap and its likely cause.
        var report = (await api.Client(MarketApi.OperatorKey).GetFromJsonAsync<JsonObject>("/v1/admin/settlement/reconcile"))!;
        Assert.False(report["consistent"]!.GetValue<bool>());
        Assert.Contains(report["differences"]!.AsArray(), d => d.Text().Contains("difference -1000000", StringComparison.Ordinal) && d.Text().Contains("less in the vault", StringComparison.Ordinal));
        // The vault gets its tokens; the next run pays the withdrawal, once.
        await api.MintToVaultAsync("1000000");
        await api.SettleAsync();
        Assert.Equal(TokenAmount.Parse("1000000").BaseUnits, await api.BalanceOfAsync(await SettlementApi.WalletOfAsync(client)));
        Assert.Equal("paid", (await client.Http.GetFromJsonAsync<JsonArray>("/v1/withdrawals"))![0]!["status"].Text());
        await api.SettleAsync();
        Assert.Equal(TokenAmount.Parse("1000000").BaseUnits, await api.BalanceOfAsync(await SettlementApi.WalletOfAsync(client)));
        await api.AssertSettledLedgerCleanAsync();
    }
}
