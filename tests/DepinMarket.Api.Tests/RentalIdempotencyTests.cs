using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>Idempotency-Key on the rental moves that move money: a replay answers the first effect and moves nothing.</summary>
public sealed class RentalIdempotencyTests(RentalApi api) : IClassFixture<RentalApi>
{
    [Fact]
    public async Task Renting_again_with_the_same_key_and_body_replays_the_answer_with_one_rental_and_one_escrow()
    {
        var (_, offerId, client) = await api.ComputeMarketAsync(price: "2.5", gpus: 8, funds: "100");
        var key = Guid.NewGuid().ToString();
        var request = new { kind = "compute", offerId, gpus = 2, hours = 1 };

        var first = await client.Http.PostMoneyAsync("/v1/rentals", request, key);
        var replay = await client.Http.PostMoneyAsync("/v1/rentals", request, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Single(await client.RentalsAsync());
        Assert.Equal("5.0125", (await client.BalancesAsync())["escrow"].Text());
        Assert.Equal(6, (await client.OfferAsync("compute", offerId))["gpusAvailable"]!.GetValue<int>());

        // The same key for another request is refused and changes nothing.
        var reused = await client.Http.PostMoneyAsync("/v1/rentals", new { kind = "compute", offerId, gpus = 3, hours = 1 }, key);
        Assert.Contains("different request", await reused.DetailAsync(HttpStatusCode.UnprocessableEntity));
        Assert.Single(await client.RentalsAsync());
        Assert.Equal("5.0125", (await client.BalancesAsync())["escrow"].Text());
        Assert.Equal(6, (await client.OfferAsync("compute", offerId))["gpusAvailable"]!.GetValue<int>());
        await client.ActAsync((await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>(), "cancel");
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Eight_concurrent_copies_of_one_rental_request_make_one_rental()
    {
        var (_, offerId, client) = await api.ComputeMarketAsync(price: "2.5", gpus: 8, funds: "100");
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            client.Http.PostMoneyAsync("/v1/rentals", new { kind = "compute", offerId, gpus = 1, hours = 2 }, key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single((await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))).Distinct());
        Assert.Equal(7, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        var rental = Assert.Single(await client.RentalsAsync());
        Assert.Equal("5.0125", (await client.BalancesAsync())["escrow"].Text());
        Assert.Equal(7, (await client.OfferAsync("compute", offerId))["gpusAvailable"]!.GetValue<int>());
        await client.ActAsync(rental!["id"]!.GetValue<Guid>(), "cancel");
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Stopping_twice_with_one_key_refunds_once_and_a_stop_with_a_new_key_is_a_conflict()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync(price: "2.5", funds: "100");
        var id = await client.RentActiveAsync(provider, new { kind = "compute", offerId, gpus = 1, hours = 2 });
        api.Clock.Advance(TimeSpan.FromSeconds(360));
        var key = Guid.NewGuid().ToString();

        var stops = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.Http.PostMoneyAsync($"/v1/rentals/{id}/stop", null, key)));

        Assert.All(stops, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single((await Task.WhenAll(stops.Select(r => r.Content.ReadAsStringAsync()))).Distinct());
        Assert.Equal(7, stops.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        // Six minutes of 2.5 per hour is 0.25, and its fee; the rest came back once.
        Assert.Equal("99.749375", (await client.BalancesAsync())["available"].Text());
        Assert.Single(await client.ChargesAsync(id));
        // A later replay, even after the clock moved, answers the first stop.
        api.Clock.Advance(TimeSpan.FromSeconds(60));
        var late = await client.Http.PostMoneyAsync($"/v1/rentals/{id}/stop", null, key);
        Assert.Equal("true", late.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal("0.25", (await late.Content.ReadFromJsonAsync<JsonObject>())!["charged"].Text());
        Assert.Contains("completed", await (await client.Http.PostMoneyAsync($"/v1/rentals/{id}/stop", null)).DetailAsync(HttpStatusCode.Conflict));
        // The key belongs to that stop: on another path it is another request.
        var other = await client.Http.PostMoneyAsync($"/v1/rentals/{id}/cancel", null, key);
        Assert.Contains("different request", await other.DetailAsync(HttpStatusCode.UnprocessableEntity));
        Assert.Equal("99.749375", (await client.BalancesAsync())["available"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Extending_twice_with_one_key_escrows_once_and_the_key_with_other_hours_is_a_422()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync(price: "2.5", funds: "100");
        var id = await client.RentActiveAsync(provider, new { kind = "compute", offerId, gpus = 1, hours = 1 });
        var key = Guid.NewGuid().ToString();

        var extensions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.Http.PostMoneyAsync($"/v1/rentals/{id}/extend", new { hours = 2 }, key)));

        Assert.All(extensions, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(3, extensions.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        var rental = await client.RentalAsync(id);
        Assert.Equal(3 * 3600, rental["termSeconds"]!.GetValue<long>());
        Assert.Equal("7.5", rental["escrowed"].Text());
        Assert.Equal("7.51875", (await client.BalancesAsync())["escrow"].Text());
        var reused = await client.Http.PostMoneyAsync($"/v1/rentals/{id}/extend", new { hours = 3 }, key);
        Assert.Contains("different request", await reused.DetailAsync(HttpStatusCode.UnprocessableEntity));
        Assert.Equal("7.51875", (await client.BalancesAsync())["escrow"].Text());
        Assert.Single(await client.EventsAsync(id), e => e!["type"].Text() == "extended");
        await client.ActAsync(id, "stop");
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Cancelling_twice_with_one_key_refunds_once()
    {
        var (_, offerId, client) = await api.ComputeMarketAsync(price: "2.5", funds: "100");
        var id = (await client.RentAsync(new { kind = "compute", offerId, gpus = 4, hours = 1 }))["id"]!.GetValue<Guid>();
        var key = Guid.NewGuid().ToString();

        var first = await client.Http.PostMoneyAsync($"/v1/rentals/{id}/cancel", null, key);
        var replay = await client.Http.PostMoneyAsync($"/v1/rentals/{id}/cancel", null, key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal("cancelled", (await client.RentalAsync(id))["status"].Text());
        var balances = await client.BalancesAsync();
        Assert.Equal("100", balances["available"].Text());
        Assert.Equal("0", balances["escrow"].Text());
        Assert.Equal(8, (await client.OfferAsync("compute", offerId))["gpusAvailable"]!.GetValue<int>());
        Assert.Single(await client.EventsAsync(id), e => e!["type"].Text() == "cancelled");
        Assert.Contains("cancelled", await (await client.Http.PostMoneyAsync($"/v1/rentals/{id}/cancel", null)).DetailAsync(HttpStatusCode.Conflict));
        await api.AssertLedgerCleanAsync();
    }
}
