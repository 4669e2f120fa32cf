using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Tests;

/// <summary>Compute rentals end to end on real PostgreSQL: escrow, acceptance, per-second metering, early stop, refund to the base unit.</summary>
public sealed class RentalComputeTests(RentalApi api) : IClassFixture<RentalApi>
{
    [Fact]
    public async Task A_compute_rental_escrows_meters_per_second_and_refunds_the_rest_to_the_base_unit_when_stopped()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync(price: "2.5", gpus: 8, funds: "100");

        var rental = await client.RentAsync(new { kind = "compute", offerId, gpus = 2, hours = 3 });
        var id = rental["id"]!.GetValue<Guid>();
        Assert.Equal("pending", rental["status"].Text());
        // 2 GPUs × 3 h × 2.5 = 15, plus the client's 0.25% reservation fee.
        Assert.Equal("15", rental["escrowed"].Text());
        Assert.Equal("0.0375", rental["escrowedFee"].Text());
        var balances = await client.BalancesAsync();
        Assert.Equal("84.9625", balances["available"].Text());
        Assert.Equal("15.0375", balances["escrow"].Text());
        Assert.Equal(6, await GpusAvailableAsync(provider, offerId));

        var accepted = await provider.ActAsync(id, "accept", new { access = new Dictionary<string, string> { ["ssh"] = "ssh root@203.0.113.7 -p 2222" } });
        Assert.Equal("active", accepted["status"].Text());
        Assert.Null(accepted["access"]);
        Assert.Equal("ssh root@203.0.113.7 -p 2222", (await client.RentalAsync(id))["access"]!["ssh"].Text());

        // 1 h 30 min 7 s: 2 GPUs × 5407 s × 2.5 / 3600 = 7.509722… rounded down to the base unit.
        api.Clock.Advance(TimeSpan.FromSeconds(5407));
        var run = await api.MeterAsync();
        Assert.True(run.Charged >= 1);
        var usage = TokenAmount.Parse("2.5").MulDiv(2 * 5407, 3600).Quotient;
        var metered = await client.RentalAsync(id);
        Assert.Equal(usage.ToString(), metered["charged"].Text());

        api.Clock.Advance(TimeSpan.FromSeconds(3));
        var stopped = await client.ActAsync(id, "stop");
        Assert.Equal("completed", stopped["status"].Text());
        Assert.Equal("client_stopped", stopped["endReason"].Text());
        var charged = TokenAmount.Parse(stopped["charged"].Text());
        Assert.Equal(TokenAmount.Parse("2.5").MulDiv(2 * 5410, 3600).Quotient, charged);
        var clientFee = charged.BasisPoints(25).Quotient;
        Assert.Equal(clientFee.ToString(), stopped["chargedClientFee"].Text());
        // Charges plus refund give back exactly what was escrowed.
        Assert.Equal(TokenAmount.Parse("15.0375"), charged + clientFee + TokenAmount.Parse(stopped["refunded"].Text()));

        balances = await client.BalancesAsync();
        Assert.Equal((TokenAmount.Parse("100") - charged - clientFee).ToString(), balances["available"].Text());
        Assert.Equal("0", balances["escrow"].Text());
        var platformFee = charged.BasisPoints(200).Quotient;
        var providerFee = charged.BasisPoints(25).Quotient;
        Assert.Equal((charged - platformFee - providerFee).ToString(), (await provider.BalancesAsync())["earnings"].Text());
        Assert.Equal(8, await GpusAvailableAsync(provider, offerId));

        var charges = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{id}/charges"))!["items"]!.AsArray();
        Assert.Equal(2, charges.Count);
        Assert.Equal(2 * 5407, charges[0]!["quantity"]!.GetValue<long>());
        Assert.Equal("gpu_second", charges[0]!["unit"].Text());
        Assert.Equal("2.5", charges[0]!["unitPrice"].Text());
        Assert.Equal(charged, TokenAmount.Sum(charges.Select(c => TokenAmount.Parse(c!["usage"].Text()))));
        // The provider reads the same charges, with its earnings per charge.
        var providerView = (await provider.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{id}/charges"))!["items"]!.AsArray();
        Assert.Equal(charges.ToJsonString(), providerView.ToJsonString());

        var events = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{id}/events"))!["items"]!.AsArray();
        Assert.Equal(["created", "accepted", "completed"], events.Where(e => e!["type"].Text() != "charge_warning").Select(e => e!["type"].Text()));
        Assert.Equal("client_stopped", events[^1]!["reason"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_rental_metered_past_its_term_completes_having_charged_exactly_the_escrow()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync(price: "0.000000000000000007", funds: "1");
        var id = (await client.RentAsync(new { kind = "compute", offerId, gpus = 3, hours = 1 }))["id"]!.GetValue<Guid>();
        await provider.ActAsync(id, "accept");
        // Odd prices and odd ticks: 3 × 7 base units per hour, metered at 7 s, 1000 s and past the end.
        foreach (var seconds in new[] { 7, 993, 5000 })
        {
            api.Clock.Advance(TimeSpan.FromSeconds(seconds));
            await api.MeterAsync();
        }
        var ended = await client.RentalAsync(id);
        Assert.Equal("completed", ended["status"].Text());
        Assert.Equal("term_ended", ended["endReason"].Text());
        Assert.Equal(ended["escrowed"].Text(), ended["charged"].Text());
        Assert.Equal(ended["escrowedFee"].Text(), ended["chargedClientFee"].Text());
        Assert.Equal("0", ended["refunded"].Text());
        Assert.Equal(8, await GpusAvailableAsync(provider, offerId));
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_pending_rental_not_accepted_in_time_expires_with_its_escrow_refunded_in_full()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync();
        var id = (await client.RentAsync(new { kind = "compute", offerId, gpus = 8, hours = 1 }))["id"]!.GetValue<Guid>();
        Assert.Equal(0, await GpusAvailableAsync(provider, offerId));
        api.Clock.Advance(TimeSpan.FromMinutes(16));
        var run = await api.MeterAsync();
        Assert.True(run.Expired >= 1);
        var expired = await client.RentalAsync(id);
        Assert.Equal("expired", expired["status"].Text());
        Assert.Equal("acceptance_timeout", expired["endReason"].Text());
        Assert.Equal("100", (await client.BalancesAsync())["available"].Text());
        Assert.Equal(8, await GpusAvailableAsync(provider, offerId));
        var late = await provider.Http.PostAsync($"/v1/rentals/{id}/accept", JsonContent.Create(new { }));
        Assert.Contains("expired", (await late.ProblemAsync(HttpStatusCode.Conflict))["detail"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Declining_cancelling_and_extending_move_exactly_the_escrow_they_say()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync(funds: "100");
        var declined = (await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 2 }))["id"]!.GetValue<Guid>();
        Assert.Equal("declined", (await provider.ActAsync(declined, "decline"))["status"].Text());
        var cancelled = (await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 2 }))["id"]!.GetValue<Guid>();
        Assert.Equal("cancelled", (await client.ActAsync(cancelled, "cancel"))["status"].Text());
        Assert.Equal("100", (await client.BalancesAsync())["available"].Text());

        var id = (await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 2 }))["id"]!.GetValue<Guid>();
        await provider.ActAsync(id, "accept");
        var extended = await client.ActAsync(id, "extend", new { hours = 1 });
        Assert.Equal("7.5", extended["escrowed"].Text());
        Assert.Equal(3 * 3600, extended["termSeconds"]!.GetValue<long>());
        Assert.Equal("7.51875", (await client.BalancesAsync())["escrow"].Text());
        api.Clock.Advance(TimeSpan.FromHours(2.5));
        await api.MeterAsync();
        Assert.Equal("active", (await client.RentalAsync(id))["status"].Text());
        api.Clock.Advance(TimeSpan.FromHours(1));
        await api.MeterAsync();
        var done = await client.RentalAsync(id);
        Assert.Equal("term_ended", done["endReason"].Text());
        Assert.Equal("7.5", done["charged"].Text());
        Assert.Equal((TokenAmount.Parse("100") - TokenAmount.Parse("7.51875")).ToString(), (await client.BalancesAsync())["available"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Retiring_an_offer_ends_its_open_rentals_charging_use_so_far_and_refunding_the_rest()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync(price: "3.6", funds: "100");
        var active = (await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 10 }))["id"]!.GetValue<Guid>();
        await provider.ActAsync(active, "accept");
        var pending = (await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 10 }))["id"]!.GetValue<Guid>();
        api.Clock.Advance(TimeSpan.FromSeconds(100));

        var retired = await provider.Http.PostAsync($"/v1/offers/compute/{offerId}/retire", null);
        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);

        var ended = await client.RentalAsync(active);
        Assert.Equal("terminated", ended["status"].Text());
        Assert.Equal("offer_retired", ended["endReason"].Text());
        // 100 s of one GPU at 3.6 an hour.
        Assert.Equal("0.1", ended["charged"].Text());
        var refunded = await client.RentalAsync(pending);
        Assert.Equal("offer_retired", refunded["endReason"].Text());
        Assert.Equal(TokenAmount.Parse(refunded["escrowed"].Text()) + TokenAmount.Parse(refunded["escrowedFee"].Text()), TokenAmount.Parse(refunded["refunded"].Text()));
        Assert.Equal("0", (await client.BalancesAsync())["escrow"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task An_auto_accepting_offer_starts_the_rental_at_once_and_the_provider_attaches_access_afterwards()
    {
        var provider = await api.SignUpAsync("provider");
        var offer = await provider.CreateComputeOfferAsync(new Dictionary<string, object>
        {
            ["gpuModel"] = "H100", ["gpuCount"] = 2, ["cpuCores"] = 32, ["ramGb"] = 256, ["diskGb"] = 1000, ["region"] = "DE",
            ["pricePerGpuHour"] = "1", ["minHours"] = 1, ["maxHours"] = 10, ["publish"] = true, ["autoAccept"] = true,
        });
        Assert.True(offer["autoAccept"]!.GetValue<bool>());
        var client = await api.SignUpAsync("client");
        await api.FundAsync(client.Id, "10");
        var rental = await client.RentAsync(new { kind = "compute", offerId = offer["id"]!.GetValue<Guid>(), gpus = 1, hours = 1 });
        Assert.Equal("active", rental["status"].Text());
        var id = rental["id"]!.GetValue<Guid>();

        var access = await provider.Http.PutAsJsonAsync($"/v1/rentals/{id}/access", new { access = new Dictionary<string, string> { ["ssh"] = "ssh u@198.51.100.1" } });
        Assert.Equal(HttpStatusCode.OK, access.StatusCode);
        Assert.Equal("ssh u@198.51.100.1", (await client.RentalAsync(id))["access"]!["ssh"].Text());
        var events = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{id}/events"))!["items"]!.AsArray();
        Assert.Equal(["created", "accepted", "access_updated"], events.Select(e => e!["type"].Text()));
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_provider_editing_its_offer_cannot_free_GPUs_that_open_rentals_hold()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync(gpus: 8);
        await client.RentAsync(new { kind = "compute", offerId, gpus = 2, hours = 1 });

        // The terms again without gpusAvailable means "all 8 free": two are rented, so that is refused.
        var allFree = await provider.Http.PutAsJsonAsync($"/v1/offers/compute/{offerId}", Scenario.ComputeOffer(gpus: 8));
        var problem = await allFree.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("2 GPUs", problem["detail"].Text());
        Assert.Contains("at most 6", problem["detail"].Text());
        Assert.Equal(6, await GpusAvailableAsync(provider, offerId));

        var body = JsonSerializer.SerializeToNode(Scenario.ComputeOffer(gpus: 8))!.AsObject();
        body["gpusAvailable"] = 5;
        var fewer = await provider.Http.PutAsJsonAsync($"/v1/offers/compute/{offerId}", body);
        Assert.Equal(HttpStatusCode.OK, fewer.StatusCode);
        Assert.Equal(5, await GpusAvailableAsync(provider, offerId));
    }

    private static async Task<int> GpusAvailableAsync(TestAccount provider, Guid offerId) =>
        (await provider.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/compute/{offerId}"))!["gpusAvailable"]!.GetValue<int>();
}
