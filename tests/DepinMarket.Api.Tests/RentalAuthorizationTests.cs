using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Who may do what to a rental: an account that is no party to it gets the 404 of an id nobody has (never the
/// rental's data), the wrong party a 403 naming the side that may act, a read-only key a 403 and no key a 401 — and
/// none of them changes anything. The provider's access details reach the client only.
/// </summary>
public sealed class RentalAuthorizationTests(RentalApi api) : IClassFixture<RentalApi>
{
    private const string Secret = "ssh root@203.0.113.9 -p 2222 # secret-7f3a";

    /// <summary>Every rental move that changes state, with a body valid for the side that may make it.</summary>
    private static readonly (HttpMethod Method, string Action, object? Body, string Side)[] Moves =
    [
        (HttpMethod.Post, "accept", new { access = new Dictionary<string, string> { ["ssh"] = "ssh intruder@198.51.100.1" } }, "provider"),
        (HttpMethod.Post, "decline", null, "provider"),
        (HttpMethod.Post, "terminate", null, "provider"),
        (HttpMethod.Put, "access", new { access = new Dictionary<string, string> { ["ssh"] = "ssh intruder@198.51.100.1" } }, "provider"),
        (HttpMethod.Post, "usage", new { requestId = "req-1", inputTokens = 1000, outputTokens = 1000 }, "provider"),
        (HttpMethod.Post, "cancel", null, "client"),
        (HttpMethod.Post, "stop", null, "client"),
        (HttpMethod.Post, "extend", new { hours = 1 }, "client"),
    ];

    [Fact]
    public async Task A_stranger_gets_the_404_of_an_unknown_id_from_every_move_and_changes_nothing()
    {
        var market = await MarketAsync();
        var stranger = await api.SignUpAsync();
        await api.FundAsync(stranger.Id, "100");

        foreach (var rental in market.Rentals)
        {
            var before = await market.Client.RentalAsync(rental);
            foreach (var (method, action, body, _) in Moves)
            {
                var problem = await (await Send(stranger.Http, method, $"/v1/rentals/{rental}/{action}", body)).ProblemAsync(HttpStatusCode.NotFound);
                var unknown = Guid.NewGuid();
                var nobodys = await (await Send(stranger.Http, method, $"/v1/rentals/{unknown}/{action}", body)).ProblemAsync(HttpStatusCode.NotFound);
                // The same answer as for an id nobody has: nothing tells the stranger the rental exists.
                Assert.Equal(WithoutTrace(nobodys).Replace(unknown.ToString(), rental.ToString(), StringComparison.Ordinal), WithoutTrace(problem));
                AssertReveals(problem, nothingOf: market);
            }
            Assert.Equal(before.ToJsonString(), (await market.Client.RentalAsync(rental)).ToJsonString());
        }
        Assert.Equal("100", (await stranger.BalancesAsync())["available"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task The_wrong_side_gets_a_403_naming_the_side_that_may_act_and_changes_nothing()
    {
        var market = await MarketAsync();
        foreach (var rental in market.Rentals)
        {
            var before = await market.Client.RentalAsync(rental);
            foreach (var (method, action, body, side) in Moves)
            {
                var (wrong, actual) = side == "provider" ? (market.Client, "client") : (market.Provider, "provider");
                var problem = await (await Send(wrong.Http, method, $"/v1/rentals/{rental}/{action}", body)).ProblemAsync(HttpStatusCode.Forbidden);
                var detail = problem["detail"].Text();
                Assert.Contains($"Only the rental's {side} can", detail);
                Assert.Contains($"this account is its {actual}", detail);
            }
            Assert.Equal(before.ToJsonString(), (await market.Client.RentalAsync(rental)).ToJsonString());
        }
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_read_only_key_gets_a_403_from_every_change_and_changes_nothing()
    {
        var market = await MarketAsync();
        var clientReader = await api.ReadOnlyClientAsync(market.Client);
        var providerReader = await api.ReadOnlyClientAsync(market.Provider);
        var balances = (await market.Client.BalancesAsync()).ToJsonString();

        var create = await Send(clientReader, HttpMethod.Post, "/v1/rentals", new { kind = "compute", offerId = market.ComputeOffer, gpus = 1, hours = 1 });
        Assert.Contains("read-only", (await create.ProblemAsync(HttpStatusCode.Forbidden))["detail"].Text());
        foreach (var rental in market.Rentals)
        {
            var before = await market.Client.RentalAsync(rental);
            foreach (var (method, action, body, side) in Moves)
            {
                var reader = side == "provider" ? providerReader : clientReader;
                var problem = await (await Send(reader, method, $"/v1/rentals/{rental}/{action}", body)).ProblemAsync(HttpStatusCode.Forbidden);
                Assert.Contains("read-only", problem["detail"].Text());
            }
            Assert.Equal(before.ToJsonString(), (await market.Client.RentalAsync(rental)).ToJsonString());
            // Reading is what a read-only key is for.
            Assert.Equal(HttpStatusCode.OK, (await clientReader.GetAsync($"/v1/rentals/{rental}")).StatusCode);
        }
        await (await Send(clientReader, HttpMethod.Put, "/v1/accounts/me/spend-cap", new { perDay = "1" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await Send(clientReader, HttpMethod.Delete, "/v1/accounts/me/spend-cap", null)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Null((await market.Client.Http.GetFromJsonAsync<JsonObject>("/v1/accounts/me/spend-cap"))!["perDay"]);
        Assert.Equal(balances, (await market.Client.BalancesAsync()).ToJsonString());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Without_a_key_every_rental_endpoint_is_a_401()
    {
        var market = await MarketAsync();
        var anonymous = api.Client();
        var rental = market.Rentals[0];
        await (await Send(anonymous, HttpMethod.Post, "/v1/rentals", new { kind = "compute", offerId = market.ComputeOffer, gpus = 1, hours = 1 }))
            .ProblemAsync(HttpStatusCode.Unauthorized);
        foreach (var (method, action, body, _) in Moves)
        {
            await (await Send(anonymous, method, $"/v1/rentals/{rental}/{action}", body)).ProblemAsync(HttpStatusCode.Unauthorized);
        }
        foreach (var path in new[] { "/v1/rentals", $"/v1/rentals/{rental}", $"/v1/rentals/{rental}/events", $"/v1/rentals/{rental}/charges", "/v1/accounts/me/spend-cap" })
        {
            await (await anonymous.GetAsync(path)).ProblemAsync(HttpStatusCode.Unauthorized);
        }
        await (await Send(anonymous, HttpMethod.Put, "/v1/accounts/me/spend-cap", new { perDay = "1" })).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await Send(anonymous, HttpMethod.Delete, "/v1/accounts/me/spend-cap", null)).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(market.Rentals.Length, (await ListAsync(market.Client, "client")).Count);
    }

    [Fact]
    public async Task Renting_needs_the_client_role_and_another_account_s_offer()
    {
        var market = await MarketAsync();
        var providerOnly = await api.SignUpAsync("provider");
        await api.FundAsync(providerOnly.Id, "100");
        var request = new { kind = "compute", offerId = market.ComputeOffer, gpus = 1, hours = 1 };
        Assert.Contains("client", (await (await Send(providerOnly.Http, HttpMethod.Post, "/v1/rentals", request)).ProblemAsync(HttpStatusCode.Forbidden))["detail"].Text());

        // The market's provider signed up as a provider only; one with both roles still cannot rent its own offer.
        var both = await api.SignUpAsync("provider", "client");
        await api.FundAsync(both.Id, "100");
        var own = await both.PublishOfferAsync("compute", Scenario.ComputeOffer());
        var problem = await (await Send(both.Http, HttpMethod.Post, "/v1/rentals", new { kind = "compute", offerId = own, gpus = 1, hours = 1 })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("own", problem["detail"].Text());
        Assert.Equal("100", (await both.BalancesAsync())["available"].Text());
        Assert.Equal(8, (await both.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/compute/{own}"))!["gpusAvailable"]!.GetValue<int>());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_stranger_cannot_read_a_rental_its_events_or_its_charges_nor_find_it_in_a_list()
    {
        var market = await MarketAsync();
        var stranger = await api.SignUpAsync();
        foreach (var rental in market.Rentals)
        {
            foreach (var path in new[] { $"/v1/rentals/{rental}", $"/v1/rentals/{rental}/events", $"/v1/rentals/{rental}/charges" })
            {
                AssertReveals(await (await stranger.Http.GetAsync(path)).ProblemAsync(HttpStatusCode.NotFound), nothingOf: market);
            }
        }
        foreach (var role in new[] { "client", "provider" })
        {
            Assert.Empty(await ListAsync(stranger, role));
        }
    }

    [Fact]
    public async Task The_provider_list_shows_only_its_own_rentals_and_access_details_reach_only_the_client()
    {
        var market = await MarketAsync();
        // A second provider renting to the same client: neither provider may see the other's rentals.
        var (otherProvider, otherOffer, _) = await api.ComputeMarketAsync();
        var other = (await market.Client.RentAsync(new { kind = "compute", offerId = otherOffer, gpus = 1, hours = 1 })).IdOf();
        await otherProvider.ActAsync(other, "accept", new { access = new Dictionary<string, string> { ["ssh"] = "ssh other@192.0.2.4" } });

        var mine = await ListAsync(market.Provider, "provider");
        Assert.Equal(market.Rentals.Order(), mine.Select(r => r!["id"]!.GetValue<Guid>()).Order());
        Assert.All(mine, r => Assert.Equal("provider", r!["role"].Text()));
        Assert.Equal([other], (await ListAsync(otherProvider, "provider")).Select(r => r!["id"]!.GetValue<Guid>()));
        Assert.Empty(await ListAsync(market.Provider, "client"));
        Assert.Equal(market.Rentals.Length + 1, (await ListAsync(market.Client, "client")).Count);

        // The active rental carries the access details: the client reads them, the provider who wrote them does not.
        var active = market.Rentals[1];
        Assert.Equal(Secret, (await market.Client.RentalAsync(active))["access"]!["ssh"].Text());
        var providerViews = new List<string>
        {
            (await market.Provider.RentalAsync(active)).ToJsonString(),
            (await market.Provider.Http.GetStringAsync("/v1/rentals?role=provider")),
            (await market.Provider.Http.GetStringAsync($"/v1/rentals/{active}/events")),
            (await market.Provider.Http.GetStringAsync($"/v1/rentals/{active}/charges")),
            (await market.Provider.Http.GetStringAsync("/v1/rentals?role=provider&status=active")),
        };
        // The provider's own answers to its moves do not echo them either.
        var replaced = await Send(market.Provider.Http, HttpMethod.Put, $"/v1/rentals/{active}/access", new { access = new Dictionary<string, string> { ["ssh"] = Secret } });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        providerViews.Add(await replaced.Content.ReadAsStringAsync());
        Assert.All(providerViews, view => Assert.DoesNotContain("secret-7f3a", view));
        Assert.All(providerViews, view => Assert.DoesNotContain("\"access\"", view));
        // Nor does the other provider's access leak into this provider's view, or this one's into the other's.
        Assert.DoesNotContain("192.0.2.4", string.Join("", providerViews));
        Assert.DoesNotContain("secret-7f3a", await otherProvider.Http.GetStringAsync("/v1/rentals?role=provider"));
    }

    [Fact]
    public async Task A_spend_cap_is_only_ever_the_caller_s_own()
    {
        var market = await MarketAsync();
        var stranger = await api.SignUpAsync();
        Assert.Equal(HttpStatusCode.OK, (await Send(market.Client.Http, HttpMethod.Put, "/v1/accounts/me/spend-cap", new { perDay = "7" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Send(stranger.Http, HttpMethod.Put, "/v1/accounts/me/spend-cap", new { perDay = "1000" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(stranger.Http, HttpMethod.Delete, "/v1/accounts/me/spend-cap", null)).StatusCode);

        var cap = (await market.Client.Http.GetFromJsonAsync<JsonObject>("/v1/accounts/me/spend-cap"))!;
        Assert.Equal("7", cap["perDay"].Text());
        Assert.Null((await stranger.Http.GetFromJsonAsync<JsonObject>("/v1/accounts/me/spend-cap"))!["perDay"]);
    }

    /// <summary>
    /// A provider (provider role only) with a compute and a model offer, a client, and three rentals of the client:
    /// a pending compute one, an active compute one with access details, and an active model one.
    /// </summary>
    private async Task<Market> MarketAsync()
    {
        var (provider, computeOffer, client) = await api.ComputeMarketAsync(funds: "100");
        var modelOffer = await provider.PublishOfferAsync("model", RentalMarkets.ModelOffer());
        var pending = (await client.RentAsync(new { kind = "compute", offerId = computeOffer, gpus = 1, hours = 2 })).IdOf();
        var active = (await client.RentAsync(new { kind = "compute", offerId = computeOffer, gpus = 2, hours = 2 })).IdOf();
        await provider.ActAsync(active, "accept", new { access = new Dictionary<string, string> { ["ssh"] = Secret } });
        var model = (await client.RentAsync(new { kind = "model", offerId = modelOffer, budget = "5" })).IdOf();
        await provider.ActAsync(model, "accept", new { access = new Dictionary<string, string> { ["baseUrl"] = "https://llm.example.com/v1", ["key"] = "sk-secret-7f3a" } });
        return new Market(provider, client, computeOffer, [pending, active, model]);
    }

    private sealed record Market(TestAccount Provider, TestAccount Client, Guid ComputeOffer, Guid[] Rentals);

    private static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, object? body) =>
        http.SendRawAsync(method, path, body is null ? null : System.Text.Json.JsonSerializer.Serialize(body, System.Text.Json.JsonSerializerOptions.Web));

    private static async Task<JsonArray> ListAsync(TestAccount account, string role) =>
        (await account.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals?role={role}&limit=100"))!["items"]!.AsArray();

    /// <summary>A problem without its per-request trace id, for comparing two answers.</summary>
    private static string WithoutTrace(JsonObject problem)
    {
        var copy = problem.DeepClone().AsObject();
        copy.Remove("traceId");
        return copy.ToJsonString();
    }

    /// <summary>The problem names neither party nor any access detail.</summary>
    private static void AssertReveals(JsonObject problem, Market nothingOf)
    {
        var text = problem.ToJsonString();
        Assert.DoesNotContain(nothingOf.Client.Id.ToString(), text);
        Assert.DoesNotContain(nothingOf.Provider.Id.ToString(), text);
        Assert.DoesNotContain("secret-7f3a", text);
        Assert.DoesNotContain("escrow", text);
    }
}
