using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>
/// The daily spend cap on what an account commits to rentals. The clock of this class never moves, so every test
/// stays within one UTC day.
/// </summary>
public sealed class RentalSpendCapTests(RentalApi api) : IClassFixture<RentalApi>
{
    private const string Path = "/v1/accounts/me/spend-cap";

    [Fact]
    public async Task The_cap_is_read_set_and_removed_and_a_rental_over_what_is_left_today_is_a_409_saying_what_is()
    {
        var (_, offerId, client) = await api.ComputeMarketAsync(price: "2.5", funds: "100");
        var none = await CapAsync(client);
        Assert.Null(none["perDay"]);
        Assert.Equal("0", none["committedToday"].Text());
        Assert.Null(none["leftToday"]);

        var set = await client.Http.PutAsJsonAsync(Path, new { perDay = "10" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("10", (await set.Content.ReadFromJsonAsync<JsonObject>())!["leftToday"].Text());
        var zero = await client.Http.PutAsJsonAsync(Path, new { perDay = "0" });
        Assert.Contains("DELETE", (await zero.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("perDay"));

        // 1 GPU × 2 h × 2.5 and its fee: 5.0125 of the 10.
        await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 2 });
        var afterOne = await CapAsync(client);
        Assert.Equal("10", afterOne["perDay"].Text());
        Assert.Equal("5.0125", afterOne["committedToday"].Text());
        Assert.Equal("4.9875", afterOne["leftToday"].Text());

        var over = await client.Http.PostMoneyAsync("/v1/rentals", new { kind = "compute", offerId, gpus = 1, hours = 2 });
        var detail = await over.DetailAsync(HttpStatusCode.Conflict);
        Assert.Contains("would commit 5.0125", detail);
        Assert.Contains("leaves 4.9875 for today", detail);
        Assert.Single(await client.RentalsAsync());
        Assert.Equal("5.0125", (await client.BalancesAsync())["escrow"].Text());
        Assert.Equal(7, (await client.OfferAsync("compute", offerId))["gpusAvailable"]!.GetValue<int>());
        Assert.Equal("5.0125", (await CapAsync(client))["committedToday"].Text());

        // A higher cap lets it through; removing the cap lifts the limit altogether.
        Assert.Equal(HttpStatusCode.OK, (await client.Http.PutAsJsonAsync(Path, new { perDay = "10.025" })).StatusCode);
        await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 2 });
        Assert.Equal("0", (await CapAsync(client))["leftToday"].Text());
        Assert.Equal(HttpStatusCode.NoContent, (await client.Http.DeleteAsync(Path)).StatusCode);
        var removed = await CapAsync(client);
        Assert.Null(removed["perDay"]);
        Assert.Equal("10.025", removed["committedToday"].Text());
        await client.RentAsync(new { kind = "compute", offerId, gpus = 4, hours = 8 });
        Assert.Equal("90.225", (await CapAsync(client))["committedToday"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Extensions_count_towards_the_cap_and_refunds_do_not_give_it_back()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync(price: "2.5", funds: "100");
        Assert.Equal(HttpStatusCode.OK, (await client.Http.PutAsJsonAsync(Path, new { perDay = "10" })).StatusCode);
        var id = await client.RentActiveAsync(provider, new { kind = "compute", offerId, gpus = 1, hours = 2 });

        // One more hour: 2.50625, within what is left.
        await client.ActAsync(id, "extend", new { hours = 1 });
        Assert.Equal("7.51875", (await CapAsync(client))["committedToday"].Text());
        var over = await client.Http.PostMoneyAsync($"/v1/rentals/{id}/extend", new { hours = 1 });
        Assert.Contains("leaves 2.48125 for today", await over.DetailAsync(HttpStatusCode.Conflict));
        Assert.Equal(3 * 3600, (await client.RentalAsync(id))["termSeconds"]!.GetValue<long>());
        Assert.Equal("7.51875", (await client.BalancesAsync())["escrow"].Text());

        // Stopping refunds the escrow but not the day's commitment: the cap limits what is put at risk in a day.
        await client.ActAsync(id, "stop");
        Assert.Equal("100", (await client.BalancesAsync())["available"].Text());
        var cap = await CapAsync(client);
        Assert.Equal("7.51875", cap["committedToday"].Text());
        Assert.Equal("2.48125", cap["leftToday"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Two_rentals_racing_under_a_cap_that_fits_only_one_one_succeeds()
    {
        var provider = await api.SignUpAsync("provider");
        var offers = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            offers.Add((await provider.CreateComputeOfferAsync(Scenario.ComputeOffer(price: "2.5")))["id"]!.GetValue<Guid>());
        }
        // A fresh client each round, so the day's row is created by the race itself as often as it is updated.
        for (var round = 0; round < 8; round++)
        {
            var client = await api.SignUpAsync("client");
            await api.FundAsync(client.Id, "100");
            Assert.Equal(HttpStatusCode.OK, (await client.Http.PutAsJsonAsync(Path, new { perDay = "8" })).StatusCode);
            if (round % 2 == 1)
            {
                // A small rental first: the day's row exists before the race.
                await client.RentAsync(new { kind = "compute", offerId = offers[0], gpus = 1, hours = 1 });
            }

            var responses = await Task.WhenAll(offers.Select(offerId => client.Http.PostMoneyAsync("/v1/rentals", new { kind = "compute", offerId, gpus = 1, hours = 2 })));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
            var refused = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.Created);
            Assert.Contains("Daily spend cap", (await refused.ProblemAsync(HttpStatusCode.Conflict))["title"].Text());
            var committed = round % 2 == 1 ? "7.51875" : "5.0125";
            Assert.Equal(committed, (await CapAsync(client))["committedToday"].Text());
            Assert.Equal(committed, (await client.BalancesAsync())["escrow"].Text());
            foreach (var rental in await client.RentalsAsync())
            {
                await client.ActAsync(rental!["id"]!.GetValue<Guid>(), "cancel");
            }
        }
        await api.AssertLedgerCleanAsync();
    }

    private static async Task<JsonObject> CapAsync(TestAccount account) =>
        (await account.Http.GetFromJsonAsync<JsonObject>(Path))!;
}
