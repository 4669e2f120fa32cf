using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using static DepinMarket.Api.Tests.Infrastructure.DepositWatcherApi;
using static DepinMarket.Api.Tests.Infrastructure.ManualMiningApi;

namespace DepinMarket.Api.Tests;

/// <summary>
/// The watcher reaches its node through a <see cref="NodeRelay"/>, so a test can take the node away from it while the
/// chain (and the test's depositor, who talks to anvil directly) goes on.
/// </summary>
public sealed class DepositWatcherOutageTests(DepositWatcherOutageTests.RelayedWatcher api) : IClassFixture<DepositWatcherOutageTests.RelayedWatcher>
{
    public sealed class RelayedWatcher : DepositWatcherApi
    {
        protected override bool Relayed => true;
    }

    [Fact]
    public async Task While_the_node_is_down_readiness_is_degraded_with_the_lag_and_the_deposit_is_credited_once_it_is_back()
    {
        var account = await api.SignUpAsync();
        await UntilAsync(async () => (await DepositsCheckAsync())["status"]!.GetValue<string>() == "Healthy"
            && (await DepositsCheckAsync())["description"]!.GetValue<string>().Contains("behind", StringComparison.Ordinal), "a first pass");

        api.Relay.GoDown();
        try
        {
            var tx = await api.DepositAsync(ReferenceOf(account.Id), BigInteger.Parse("3000000000000000000"));
            await api.MineAsync();
            await UntilAsync(async () => (await DepositsCheckAsync())["status"]!.GetValue<string>() == "Degraded", "readiness degraded");
            var check = await DepositsCheckAsync();
            Assert.Contains("block(s) behind the node's head", check["description"]!.GetValue<string>());
            var ready = (await api.Client().GetFromJsonAsync<JsonObject>("/health/ready"))!;
            Assert.Equal("Degraded", ready["status"]!.GetValue<string>());
            Assert.Equal("0", await AvailableAsync(account.Http));

            api.Relay.ComeUp();
            await UntilAsync(async () => await StatusAsync(account.Http, tx) == "credited", "the deposit credited after the outage");
        }
        finally
        {
            api.Relay.ComeUp();
        }
        Assert.Equal("3", await AvailableAsync(account.Http));
        Assert.Equal("Healthy", (await DepositsCheckAsync())["status"]!.GetValue<string>());
        await api.AssertVaultReconciledAsync();
    }

    private async Task<JsonObject> DepositsCheckAsync()
    {
        // Readiness answers 503 when Unhealthy; read the body whatever the status.
        var response = await api.Client().GetAsync("/health/ready");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["checks"]!["deposits"]!.AsObject();
    }
}
