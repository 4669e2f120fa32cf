using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using static DepinMarket.Api.Tests.Infrastructure.DepositWatcherApi;
using static DepinMarket.Api.Tests.Infrastructure.ManualMiningApi;

namespace DepinMarket.Api.Tests;

/// <summary>
/// The deposit watcher against a real anvil and PostgreSQL, confirmation depth 2: a vault deposit is credited once
/// its block has one block on top, never when a reorganisation removed it, exactly once across a restart and with
/// two instances; an unknown reference is held in suspense until the operator assigns it. The ledger check, vault
/// reconciliation included, is clean after each.
/// </summary>
public sealed class DepositWatcherTests(DepositWatcherApi api) : IClassFixture<DepositWatcherApi>
{
    private static readonly BigInteger TwelveAndAHalf = BigInteger.Parse("12500000000000000000");

    [Fact]
    public async Task A_deposit_is_credited_after_two_confirmations_and_not_after_one()
    {
        var account = await api.SignUpAsync();
        var tx = await api.DepositAsync(ReferenceOf(account.Id), TwelveAndAHalf);

        await UntilAsync(async () => await StatusAsync(account.Http, tx) == "confirming", "the deposit seen as confirming");
        var seen = (await DepositOfAsync(account.Http, tx))!;
        Assert.Equal(1, seen["confirmations"]!.GetValue<int>());
        Assert.Equal(2, seen["requiredConfirmations"]!.GetValue<int>());
        Assert.Equal("12.5", seen["amount"]!.GetValue<string>());
        Assert.Equal("0", await AvailableAsync(account.Http));

        await api.MineAsync();
        await UntilAsync(async () => await StatusAsync(account.Http, tx) == "credited", "the deposit credited");
        Assert.Equal("12.5", await AvailableAsync(account.Http));
        await api.AssertVaultReconciledAsync();
    }

    [Fact]
    public async Task A_credited_deposit_is_announced_once_to_the_depositors_webhook_signed_and_not_while_confirming()
    {
        await using var listener = await WebhookListener.StartAsync();
        var account = await api.SignUpAsync();
        var (_, secret) = await account.AddWebhookAsync(listener.Url("/deposits"), "deposit.credited");
        var tx = await api.DepositAsync(ReferenceOf(account.Id), TwelveAndAHalf);
        await UntilAsync(async () => await StatusAsync(account.Http, tx) == "confirming", "the deposit seen as confirming");
        await Task.Delay(500);
        Assert.Empty(listener.Received);

        await api.MineAsync();
        var received = await listener.NextAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("deposit.credited", received.Type);
        Assert.True(received.IsSignedWith(secret));
        Assert.Equal(tx, received.Data["transactionHash"]!.GetValue<string>());
        Assert.Equal("12.5", received.Data["amount"]!.GetValue<string>());
        var credited = (await DepositOfAsync(account.Http, tx))!;
        Assert.Equal(credited["journalId"]!.GetValue<long>(), received.Data["journalId"]!.GetValue<long>());
        await api.MineAsync();
        await Task.Delay(500);
        Assert.Single(listener.Received);
    }

    [Fact]
    public async Task A_deposit_a_reorganisation_removed_is_never_credited()
    {
        var account = await api.SignUpAsync();
        var snapshot = (await api.RpcAsync("evm_snapshot")).GetString()!;
        var tx = await api.DepositAsync(ReferenceOf(account.Id), TwelveAndAHalf);
        await UntilAsync(async () => await DepositOfAsync(account.Http, tx) is not null, "the deposit seen");

        Assert.True((await api.RpcAsync("evm_revert", snapshot)).GetBoolean());
        for (var i = 0; i < 4; i++)
        {
            await api.MineAsync();
        }
        await UntilAsync(async () => await StatusAsync(account.Http, tx) == "dropped", "the deposit dropped");
        Assert.Equal("0", await AvailableAsync(account.Http));
        await api.AssertVaultReconciledAsync();
    }

    [Fact]
    public async Task A_restart_neither_skips_nor_repeats_a_deposit()
    {
        var account = await api.SignUpAsync();
        var before = await api.DepositAsync(ReferenceOf(account.Id), TwelveAndAHalf);
        await api.MineAsync();
        await UntilAsync(async () => await StatusAsync(account.Http, before) == "credited", "the first deposit credited");

        await api.RestartAsync();
        var http = api.Client(account.Key);
        var after = await api.DepositAsync(ReferenceOf(account.Id), TwelveAndAHalf);
        await api.MineAsync();
        await UntilAsync(async () => await StatusAsync(http, after) == "credited", "the second deposit credited");

        Assert.Equal("25", await AvailableAsync(http));
        Assert.Equal(2, (await http.GetFromJsonAsync<JsonArray>("/v1/deposits"))!.Count);
        await api.AssertVaultReconciledAsync();
    }

    [Fact]
    public async Task A_deposit_to_an_unknown_reference_is_held_and_assigning_it_credits_once()
    {
        var owner = await api.SignUpAsync();
        var unknown = ReferenceOf(Guid.NewGuid());
        var tx = await api.DepositAsync(unknown, TwelveAndAHalf);
        await api.MineAsync();
        var operatorHttp = api.Client(MarketApi.OperatorKey);
        JsonObject? held = null;
        await UntilAsync(async () => (held = (await operatorHttp.GetFromJsonAsync<JsonArray>("/v1/admin/deposits/held"))!
            .Select(d => d!.AsObject()).SingleOrDefault(d => d["transactionHash"]!.GetValue<string>() == tx)) is not null, "the deposit held");
        await api.AssertVaultReconciledAsync();
        var id = held!["id"]!.GetValue<long>();

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var assigned = await operatorHttp.PostAsJsonAsync($"/v1/admin/deposits/{id}/assign", new { accountId = owner.Id });
            Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
            Assert.Equal("credited", (await assigned.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        }
        Assert.Equal("12.5", await AvailableAsync(owner.Http));
        Assert.DoesNotContain((await operatorHttp.GetFromJsonAsync<JsonArray>("/v1/admin/deposits/held"))!, d => d!["id"]!.GetValue<long>() == id);

        var other = await api.SignUpAsync();
        await (await operatorHttp.PostAsJsonAsync($"/v1/admin/deposits/{id}/assign", new { accountId = other.Id })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("accountId", (await (await operatorHttp.PostAsJsonAsync($"/v1/admin/deposits/{id}/assign", new { })).ProblemAsync(HttpStatusCode.BadRequest))
            ["errors"]!.AsObject().Single().Key);
        await (await operatorHttp.PostAsJsonAsync("/v1/admin/deposits/999999/assign", new { accountId = owner.Id })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("id", (await (await operatorHttp.PostAsJsonAsync("/v1/admin/deposits/abc/assign", new { accountId = owner.Id })).ProblemAsync(HttpStatusCode.BadRequest))
            ["errors"]!.AsObject().Single().Key);
        Assert.Equal("accountId", (await (await operatorHttp.PostAsJsonAsync($"/v1/admin/deposits/{id}/assign", new { accountId = Guid.NewGuid() })).ProblemAsync(HttpStatusCode.BadRequest))
            ["errors"]!.AsObject().Single().Key);
        await api.AssertVaultReconciledAsync();
    }

    [Fact]
    public async Task Two_instances_on_one_database_credit_each_deposit_once()
    {
        var second = api.SecondInstance();
        await second.InitializeAsync();
        try
        {
            await DepositFourTimesAsync(second);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    private async Task DepositFourTimesAsync(MarketApi second)
    {
        var account = await api.SignUpAsync();
        var hashes = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            hashes.Add(await api.DepositAsync(ReferenceOf(account.Id), TwelveAndAHalf));
        }
        await api.MineAsync();
        await UntilAsync(async () =>
        {
            var deposits = (await account.Http.GetFromJsonAsync<JsonArray>("/v1/deposits"))!;
            return hashes.All(h => deposits.Any(d => d!["transactionHash"]!.GetValue<string>() == h && d["status"]!.GetValue<string>() == "credited"));
        }, "all four deposits credited");

        Assert.Equal("50", await AvailableAsync(account.Http));
        await api.AssertVaultReconciledAsync();
        await second.AssertLedgerCleanAsync();
    }
}

/// <summary>The ledger check is clean and the vault's on-chain balance was compared, not skipped.</summary>
internal static class VaultReconciliationAssertions
{
    public static async Task AssertVaultReconciledAsync(this MarketApi api)
    {
        await api.AssertLedgerCleanAsync();
        var report = await api.LedgerCheckAsync();
        var vault = report["extensions"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "vault")!;
        Assert.True(vault["consistent"]!.GetValue<bool>(), report.ToJsonString());
        Assert.Empty(report["notChecked"]!.AsArray());
    }
}
