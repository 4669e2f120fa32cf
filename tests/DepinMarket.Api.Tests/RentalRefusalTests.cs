using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>Rentals that cannot be made, each refused with its own status and a body that says why, leaving capacity and money as they were.</summary>
public sealed class RentalRefusalTests(RentalApi api) : IClassFixture<RentalApi>
{
    [Fact]
    public async Task A_short_balance_is_a_402_naming_the_missing_amount_and_takes_no_capacity_or_cap()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync(price: "2.5", gpus: 8, funds: "1");

        // 1 GPU × 1 h × 2.5 and the 0.25% fee is 2.50625; 1 is available.
        var response = await client.Http.PostMoneyAsync("/v1/rentals", new { kind = "compute", offerId, gpus = 1, hours = 1 });

        var problem = await response.ProblemAsync(HttpStatusCode.PaymentRequired);
        Assert.Contains("available balance is 1.50625 tokens short", problem["detail"].Text());
        Assert.Equal("1.50625", problem["missing"].Text());
        Assert.Equal("available", problem["balance"].Text());
        Assert.Equal(8, (await client.OfferAsync("compute", offerId))["gpusAvailable"]!.GetValue<int>());
        Assert.Empty(await client.RentalsAsync());
        Assert.Equal("1", (await client.BalancesAsync())["available"].Text());
        Assert.Equal("0", (await client.Http.GetFromJsonAsync<JsonObject>("/v1/accounts/me/spend-cap"))!["committedToday"].Text());

        // An extension the balance cannot cover is refused the same way and leaves the rental as it was.
        await api.FundAsync(client.Id, "2");
        var id = await client.RentActiveAsync(provider, new { kind = "compute", offerId, gpus = 1, hours = 1 });
        var extend = await client.Http.PostMoneyAsync($"/v1/rentals/{id}/extend", new { hours = 1 });
        Assert.Contains("available balance is 2.0125 tokens short", await extend.DetailAsync(HttpStatusCode.PaymentRequired));
        Assert.Equal(3600, (await client.RentalAsync(id))["termSeconds"]!.GetValue<long>());
        Assert.Equal("2.50625", (await client.BalancesAsync())["escrow"].Text());
        await client.ActAsync(id, "stop");
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task An_account_without_the_client_role_cannot_rent()
    {
        var (_, offerId, _) = await api.ComputeMarketAsync();
        var providerOnly = await api.SignUpAsync("provider");
        await api.FundAsync(providerOnly.Id, "100");

        var response = await providerOnly.Http.PostMoneyAsync("/v1/rentals", new { kind = "compute", offerId, gpus = 1, hours = 1 });

        Assert.Contains("\"client\" role", await response.DetailAsync(HttpStatusCode.Forbidden));
        Assert.Equal(8, (await providerOnly.OfferAsync("compute", offerId))["gpusAvailable"]!.GetValue<int>());
        Assert.Equal("100", (await providerOnly.BalancesAsync())["available"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Renting_ones_own_offer_is_a_409_and_gives_the_capacity_back()
    {
        var both = await api.SignUpAsync("provider", "client");
        await api.FundAsync(both.Id, "100");
        var offerId = (await both.CreateComputeOfferAsync(Scenario.ComputeOffer(gpus: 2)))["id"]!.GetValue<Guid>();

        var response = await both.Http.PostMoneyAsync("/v1/rentals", new { kind = "compute", offerId, gpus = 2, hours = 1 });

        Assert.Contains("cannot rent from itself", await response.DetailAsync(HttpStatusCode.Conflict));
        Assert.Equal(2, (await both.OfferAsync("compute", offerId))["gpusAvailable"]!.GetValue<int>());
        Assert.Equal("100", (await both.BalancesAsync())["available"].Text());
        Assert.Empty(await both.RentalsAsync());
        await api.AssertLedgerCleanAsync();
    }

    [Theory]
    [InlineData("compute", "pause", "paused")]
    [InlineData("compute", "retire", "retired")]
    [InlineData("storage", "pause", "paused")]
    [InlineData("model", "retire", "retired")]
    public async Task An_offer_that_is_not_active_cannot_be_rented(string kind, string move, string status)
    {
        var (provider, offerId, client) = kind switch
        {
            "compute" => await api.ComputeMarketAsync(),
            "storage" => await api.StorageMarketAsync(),
            _ => await api.ModelMarketAsync(),
        };
        Assert.Equal(HttpStatusCode.OK, (await provider.Http.PostAsync($"/v1/offers/{kind}/{offerId}/{move}", null)).StatusCode);
        object request = kind switch
        {
            "compute" => new { kind, offerId, gpus = 1, hours = 1 },
            "storage" => new { kind, offerId, gigabytes = 1, days = 1 },
            _ => new { kind, offerId, budget = "1" },
        };

        var response = await client.Http.PostMoneyAsync("/v1/rentals", request);

        Assert.Contains($"is {status}; only an active offer can be rented", await response.DetailAsync(HttpStatusCode.Conflict));
        Assert.Equal("100", (await client.BalancesAsync())["available"].Text());
        Assert.Empty(await client.RentalsAsync());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task An_unknown_offer_or_one_of_another_kind_is_a_404()
    {
        var (_, computeOfferId, client) = await api.ComputeMarketAsync();

        var unknown = await client.Http.PostMoneyAsync("/v1/rentals", new { kind = "compute", offerId = Guid.NewGuid(), gpus = 1, hours = 1 });
        Assert.Contains("no compute offer", await unknown.DetailAsync(HttpStatusCode.NotFound));
        var wrongKind = await client.Http.PostMoneyAsync("/v1/rentals", new { kind = "storage", offerId = computeOfferId, gigabytes = 1, days = 1 });
        Assert.Contains("no storage offer", await wrongKind.DetailAsync(HttpStatusCode.NotFound));
        var unknownModel = await client.Http.PostMoneyAsync("/v1/rentals", new { kind = "model", offerId = Guid.NewGuid(), budget = "1" });
        Assert.Contains("no model offer", await unknownModel.DetailAsync(HttpStatusCode.NotFound));
        Assert.Equal("100", (await client.BalancesAsync())["available"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Only_the_parties_see_a_rental_and_each_side_may_only_make_its_own_moves()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync();
        var id = (await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 1 }))["id"]!.GetValue<Guid>();
        var stranger = await api.SignUpAsync();

        await (await stranger.Http.GetAsync($"/v1/rentals/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Http.PostMoneyAsync($"/v1/rentals/{id}/cancel", null)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("provider can accept", await (await client.Http.PostAsJsonAsync($"/v1/rentals/{id}/accept", new { })).DetailAsync(HttpStatusCode.Forbidden));
        Assert.Contains("client can cancel", await (await provider.Http.PostMoneyAsync($"/v1/rentals/{id}/cancel", null)).DetailAsync(HttpStatusCode.Forbidden));
        Assert.Equal("provider", (await provider.RentalAsync(id))["role"].Text());
        Assert.Empty((await stranger.Http.GetFromJsonAsync<JsonObject>("/v1/rentals?role=provider"))!["items"]!.AsArray());
        await client.ActAsync(id, "cancel");
        await api.AssertLedgerCleanAsync();
    }
}
