using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Tests.Nodes;

/// <summary>Downtime paid for without a claim: not charged, credited beyond grace from stake, terminated when it lasts.</summary>
public sealed class DowntimeCreditTests(TrustApi api) : IClassFixture<TrustApi>
{
    [Fact]
    public async Task A_renter_is_not_charged_for_an_outage_and_is_credited_beyond_grace_from_the_stake()
    {
        var (provider, node, client, rentalId) = await RentedNodeAsync();
        await BeatEveryMinuteAsync(node, 60);
        // Silent 20 minutes: the monitor marks it down, metering charges nothing past the last heartbeat.
        api.Clock.Advance(TimeSpan.FromMinutes(20));
        await api.MonitorAsync();
        await api.MeterAsync();
        await node.BeatOkAsync();
        await api.MeterAsync();
        var rental = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{rentalId}"))!;
        // 80 minutes since the start, 20 of them down: 60 minutes of 2 GPUs at 2.5.
        Assert.Equal(TokenAmount.Parse("5").ToString(), rental["charged"].Text());

        // Other tests' nodes share the clock: count this renter's credits, not the pass's.
        Assert.True((await api.DowntimeAsync()).Credited >= 1);
        await api.DowntimeAsync();
        // 15 minutes beyond grace × 5 tokens an hour = 1.25 to the renter; the slash is 125% of it, the rest burnt.
        var slash = Assert.Single((await client.Http.GetFromJsonAsync<JsonObject>("/v1/slashes"))!["items"]!.AsArray())!;
        Assert.Equal("downtime", slash["reason"].Text());
        Assert.Equal("1.5625", slash["amount"].Text());
        Assert.Equal("1.25", slash["toClient"].Text());
        Assert.Equal("0.3125", slash["toBurn"].Text());
        var evidence = JsonNode.Parse(slash["evidence"].Text())!;
        Assert.Equal(1200, evidence["outageSeconds"]!.GetValue<long>());
        Assert.Equal(900, evidence["beyondGraceSeconds"]!.GetValue<long>());
        Assert.Equal(slash["id"].Text(), Assert.Single((await provider.Http.GetFromJsonAsync<JsonObject>("/v1/slashes"))!["items"]!.AsArray())!["id"].Text());
        Assert.Equal("1598.4375", (await provider.Http.GetFromJsonAsync<JsonObject>("/v1/stakes"))!["staked"].Text());
        Assert.Contains(await client.EventsAsync(rentalId), e => e!["type"].Text() == "downtime_credited");
        // The credit is the client's to spend: available went up by exactly it.
        Assert.Equal(TokenAmount.Parse("1.25") + TokenAmount.Parse("100") - Escrowed(rental), (await client.BalancesAsync())["available"].Amount());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_node_down_past_the_limit_ends_its_rentals_with_the_unused_escrow_refunded()
    {
        var (_, node, client, rentalId) = await RentedNodeAsync();
        await BeatEveryMinuteAsync(node, 30);
        api.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        await api.MonitorAsync();
        var run = await api.DowntimeAsync();
        Assert.True(run.Terminated >= 1 && run.Credited >= 1);
        var rental = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{rentalId}"))!;
        Assert.Equal("terminated", rental["status"].Text());
        Assert.Equal("provider_fault", rental["endReason"].Text());
        // Charged for the 30 minutes the node was seen alive, nothing after.
        Assert.Equal("2.5", rental["charged"].Text());
        var slash = Assert.Single((await client.Http.GetFromJsonAsync<JsonObject>("/v1/slashes"))!["items"]!.AsArray())!;
        Assert.Equal(7260 - 300, JsonNode.Parse(slash["evidence"].Text())!["beyondGraceSeconds"]!.GetValue<long>());
        Assert.Equal("0", (await client.BalancesAsync())["escrow"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_short_blip_within_grace_is_not_charged_and_not_slashed()
    {
        var (provider, node, client, rentalId) = await RentedNodeAsync();
        await BeatEveryMinuteAsync(node, 10);
        api.Clock.Advance(TimeSpan.FromMinutes(4));
        await node.BeatOkAsync();
        await api.MeterAsync();
        await api.DowntimeAsync();
        Assert.Empty((await provider.Http.GetFromJsonAsync<JsonObject>("/v1/slashes"))!["items"]!.AsArray());
        var rental = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{rentalId}"))!;
        Assert.Equal(TokenAmount.Parse("5").MulDiv(10 * 60, 3600).Quotient.ToString(), rental["charged"].Text());
    }

    private async Task<(TestAccount Provider, TestNode Node, TestAccount Client, Guid RentalId)> RentedNodeAsync()
    {
        var provider = await api.SignUpAsync("provider");
        await api.FundAsync(provider.Id, "1600");
        await StakeTests.StakeAsync(provider, "1600");
        var node = await api.RegisterNodeAsync(provider, interval: 60);
        await node.BeatOkAsync();
        var offerId = await provider.CreateNodeOfferAsync(node);
        var client = await api.SignUpAsync("client");
        await api.FundAsync(client.Id, "100");
        var rentalId = await client.RentActiveAsync(provider, new { kind = "compute", offerId, gpus = 2, hours = 10 });
        return (provider, node, client, rentalId);
    }

    private async Task BeatEveryMinuteAsync(TestNode node, int minutes)
    {
        for (var i = 0; i < minutes; i++)
        {
            api.Clock.Advance(TimeSpan.FromMinutes(1));
            await node.BeatOkAsync();
        }
    }

    private static TokenAmount Escrowed(JsonObject rental) => rental["escrowed"].Amount() + rental["escrowedFee"].Amount();
}
