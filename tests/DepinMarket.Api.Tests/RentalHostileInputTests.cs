using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Whatever a client or provider script sends to the rental endpoints — control characters, numbers beyond any
/// range, the wrong kind's fields, forged cursors, no body, a megabyte — the answer is a 4xx problem naming what was
/// wrong, never a 500, and nothing moves.
/// </summary>
public sealed class RentalHostileInputTests(RentalApi api) : IClassFixture<RentalApi>
{
    /// <summary>2^256-1 base units: the largest token amount there is.</summary>
    private const string MaxTokens = "115792089237316195423570985008687907853269984665640564039457.584007913129639935";

    private static readonly string[] Poison = ["\\u0000", "a\\u0000b", "\\u0007", "\\u001b[31m", "\\u007f", "\\ud800", "x\\udc00"];

    public static TheoryData<string> PoisonCases() => [.. Poison];

    [Theory]
    [MemberData(nameof(PoisonCases))]
    public async Task Control_characters_in_an_access_value_are_a_400_naming_the_entry_on_accept_and_on_replace(string poison)
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync();
        var id = (await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 1 })).IdOf();
        var body = $$$"""{"access":{"ssh":"ssh root@{{{poison}}}203.0.113.7"}}""";

        var problem = await (await provider.Http.SendRawAsync(HttpMethod.Post, $"/v1/rentals/{id}/accept", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("control characters", problem.ErrorsFor("access.ssh"));
        Assert.Equal("pending", (await client.RentalAsync(id))["status"].Text());

        await provider.ActAsync(id, "accept", new { access = new Dictionary<string, string> { ["ssh"] = "ssh root@203.0.113.7" } });
        problem = await (await provider.Http.SendRawAsync(HttpMethod.Put, $"/v1/rentals/{id}/access", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("control characters", problem.ErrorsFor("access.ssh"));
        Assert.Equal("ssh root@203.0.113.7", (await client.RentalAsync(id))["access"]!["ssh"].Text());
    }

    [Theory]
    [MemberData(nameof(PoisonCases))]
    public async Task Control_characters_in_an_access_name_are_a_400_naming_access(string poison)
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync();
        var id = (await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 1 })).IdOf();
        var body = $$$"""{"access":{"ss{{{poison}}}h":"ssh root@203.0.113.7"}}""";
        var problem = await (await provider.Http.SendRawAsync(HttpMethod.Post, $"/v1/rentals/{id}/accept", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsObject(), e => e.Key.StartsWith("access", StringComparison.Ordinal));
        Assert.Equal("pending", (await client.RentalAsync(id))["status"].Text());
    }

    [Theory]
    [MemberData(nameof(PoisonCases))]
    public async Task Control_characters_in_a_usage_request_id_are_a_400_naming_requestId_and_charge_nothing(string poison)
    {
        var (provider, rental, client) = await ActiveModelRentalAsync();
        var body = $$"""{"requestId":"req{{poison}}1","inputTokens":1000,"outputTokens":1000}""";
        var problem = await (await provider.Http.SendRawAsync(HttpMethod.Post, $"/v1/rentals/{rental}/usage", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("control characters", problem.ErrorsFor("requestId"));
        Assert.Equal("0", (await client.RentalAsync(rental))["charged"].Text());
    }

    [Theory]
    [InlineData("\"a\":1", "a")]
    [InlineData("\"ssh\":null", "access.ssh")]
    [InlineData("\"ssh\":\"\"", "access.ssh")]
    [InlineData("\"ssh\":42", "access.ssh")]
    [InlineData("\"ssh\":{\"nested\":\"x\"}", "access.ssh")]
    [InlineData("\"bad name\":\"x\"", "access")]
    [InlineData("\"\":\"x\"", "access")]
    [InlineData("\"Ünïcode\":\"x\"", "access")]
    public async Task Bad_access_entries_are_400s_naming_the_entry(string entry, string field)
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync();
        var id = (await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 1 })).IdOf();
        var body = field == "a" ? "{\"access\":{\"ok\":\"x\"}," + entry + "}" : "{\"access\":{" + entry + "}}";
        var problem = await (await provider.Http.SendRawAsync(HttpMethod.Post, $"/v1/rentals/{id}/accept", body)).ProblemAsync(HttpStatusCode.BadRequest);
        problem.ErrorsFor(field);
        Assert.Equal("pending", (await client.RentalAsync(id))["status"].Text());
    }

    [Fact]
    public async Task Too_many_or_too_long_access_entries_are_refused()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync();
        var id = (await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 1 })).IdOf();
        var many = Enumerable.Range(0, 11).ToDictionary(i => $"k{i}", i => "v");
        var problem = await (await provider.Http.PostMoneyAsync($"/v1/rentals/{id}/accept", new { access = many })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("at most 10", problem.ErrorsFor("access"));
        var longValue = new Dictionary<string, string> { ["ssh"] = new string('x', 2001) };
        problem = await (await provider.Http.PostMoneyAsync($"/v1/rentals/{id}/accept", new { access = longValue })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("2000", problem.ErrorsFor("access.ssh"));
        var longName = new Dictionary<string, string> { [new string('n', 65)] = "x" };
        problem = await (await provider.Http.PostMoneyAsync($"/v1/rentals/{id}/accept", new { access = longName })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("64", problem.ErrorsFor("access"));
        Assert.Equal("pending", (await client.RentalAsync(id))["status"].Text());
    }

    [Theory]
    [InlineData("compute", "gpus", "65", "between 1 and 64")]
    [InlineData("compute", "gpus", "0", "between 1 and 64")]
    [InlineData("compute", "gpus", "-1", "between 1 and 64")]
    [InlineData("compute", "gpus", "4294967297", "whole number")]
    [InlineData("compute", "gpus", "99999999999999999999", "whole number")]
    [InlineData("compute", "gpus", "1.5", "whole number")]
    [InlineData("compute", "gpus", "1e3", "whole number")]
    [InlineData("compute", "gpus", "\"2\"", "whole number")]
    [InlineData("compute", "gpus", "true", "whole number")]
    [InlineData("compute", "hours", "8761", "between 1 and 8760")]
    [InlineData("compute", "hours", "721", "between the offer's 1 and 720")]
    [InlineData("compute", "hours", "-3", "between 1 and 8760")]
    [InlineData("compute", "hours", "99999999999999999999", "whole number")]
    [InlineData("compute", "hours", "null", "required")]
    [InlineData("storage", "gigabytes", "1000000001", "between 1 and 1000000000")]
    [InlineData("storage", "gigabytes", "9223372036854775807", "between 1 and 1000000000")]
    [InlineData("storage", "gigabytes", "99999999999999999999", "whole number")]
    [InlineData("storage", "gigabytes", "-1", "between 1 and 1000000000")]
    [InlineData("storage", "days", "3651", "between 1 and 3650")]
    [InlineData("storage", "days", "10", "between the offer's 30")]
    [InlineData("storage", "days", "-1", "between 1 and 3650")]
    [InlineData("model", "budget", "\"1.1234567890123456789\"", "19 decimals")]
    [InlineData("model", "budget", "\"-1\"", "negative")]
    [InlineData("model", "budget", "25", "string")]
    [InlineData("model", "budget", "\"1e3\"", "decimal string")]
    [InlineData("model", "budget", "\"0\"", "more than zero")]
    [InlineData("model", "budget", "\"115792089237316195423570985008687907853269984665640564039457.584007913129639936\"", "largest amount")]
    [InlineData("compute", "offerId", "12345", "UUID")]
    [InlineData("compute", "offerId", "\"not-a-guid\"", "UUID")]
    [InlineData("compute", "offerId", "\"00000000-0000-0000-0000-000000000000\"", "required")]
    [InlineData("compute", "offerId", "\"\\u0000\"", "UUID")]
    [InlineData("model", "budget", "\"1\\u0000\"", "")]
    [InlineData("model", "budget", "\"\\ud800\"", "")]
    [InlineData("compute", "kind", "\"gpu\"", "\"compute\"")]
    [InlineData("compute", "kind", "0", "\"compute\"")]
    [InlineData("compute", "kind", "\"COMPUTE\\u0000\"", "\"compute\"")]
    public async Task Out_of_range_and_mistyped_rental_fields_are_400s_naming_the_field(string kind, string field, string value, string reason)
    {
        var market = await MarketAsync(kind);
        var body = CreateBody(kind, market.OfferId);
        // Spliced in as text: an unpaired surrogate ("\ud800") cannot pass through a JsonNode, which is the point.
        body[field] = "__value__";
        var problem = await Create(market.Client, body.ToJsonString().Replace("\"__value__\"", value, StringComparison.Ordinal), HttpStatusCode.BadRequest);
        Assert.Contains(reason, problem.ErrorsFor(field));
        await AssertUntouchedAsync(market);
    }

    [Theory]
    [InlineData("storage", "hours", "1", "not a field of a storage rental")]
    [InlineData("storage", "gpus", "1", "not a field of a storage rental")]
    [InlineData("storage", "budget", "\"1\"", "not a field of a storage rental")]
    [InlineData("compute", "days", "30", "not a field of a compute rental")]
    [InlineData("compute", "gigabytes", "10", "not a field of a compute rental")]
    [InlineData("compute", "budget", "\"1\"", "not a field of a compute rental")]
    [InlineData("model", "gpus", "1", "not a field of a model rental")]
    [InlineData("model", "hours", "1", "not a field of a model rental")]
    [InlineData("compute", "colour", "\"red\"", "not a field of this request")]
    [InlineData("compute", "inputTokens", "5", "not a field of this request")]
    public async Task A_field_of_another_kind_or_of_no_kind_is_a_400_naming_it(string kind, string field, string value, string reason)
    {
        var market = await MarketAsync(kind);
        var body = CreateBody(kind, market.OfferId);
        body[field] = JsonNode.Parse(value);
        Assert.Contains(reason, (await Create(market.Client, body.ToJsonString(), HttpStatusCode.BadRequest)).ErrorsFor(field));
        await AssertUntouchedAsync(market);
    }

    [Fact]
    public async Task An_offer_of_another_kind_is_not_found_under_the_kind_named()
    {
        var market = await MarketAsync("compute");
        var problem = await Create(market.Client, CreateBody("storage", market.OfferId).ToJsonString(), HttpStatusCode.NotFound);
        Assert.Contains("is the kind right", problem["detail"].Text());
        await AssertUntouchedAsync(market);
    }

    [Theory]
    [InlineData("inputTokens", "100000001", "between 0 and 100000000")]
    [InlineData("inputTokens", "-1", "between 0 and 100000000")]
    [InlineData("inputTokens", "9223372036854775807", "between 0 and 100000000")]
    [InlineData("inputTokens", "99999999999999999999", "whole number")]
    [InlineData("inputTokens", "1.5", "whole number")]
    [InlineData("inputTokens", "\"1000\"", "whole number")]
    [InlineData("outputTokens", "100000001", "between 0 and 100000000")]
    [InlineData("outputTokens", "-9223372036854775808", "between 0 and 100000000")]
    [InlineData("outputTokens", "99999999999999999999", "whole number")]
    [InlineData("requestId", "12345", "string")]
    [InlineData("requestId", "\"\"", "required")]
    [InlineData("requestId", "\"   \"", "required")]
    [InlineData("requestId", "null", "")]
    [InlineData("requestId", "[\"a\"]", "string")]
    public async Task Out_of_range_and_mistyped_usage_fields_are_400s_naming_the_field(string field, string value, string reason)
    {
        var (provider, rental, client) = await ActiveModelRentalAsync();
        var body = new JsonObject { ["requestId"] = "req-1", ["inputTokens"] = 1000, ["outputTokens"] = 1000 };
        body[field] = JsonNode.Parse(value);
        var response = await provider.Http.SendRawAsync(HttpMethod.Post, $"/v1/rentals/{rental}/usage", body.ToJsonString());
        Assert.Contains(reason, (await response.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor(field));
        Assert.Equal("0", (await client.RentalAsync(rental))["charged"].Text());
    }

    [Fact]
    public async Task A_usage_report_of_no_tokens_or_of_a_request_id_too_long_is_refused()
    {
        var (provider, rental, _) = await ActiveModelRentalAsync();
        var none = await provider.Http.PostMoneyAsync($"/v1/rentals/{rental}/usage", new { requestId = "r", inputTokens = 0, outputTokens = 0 });
        Assert.Contains("at least one", (await none.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("inputTokens"));
        var both = await provider.Http.PostMoneyAsync($"/v1/rentals/{rental}/usage", new { requestId = "r", inputTokens = long.MaxValue, outputTokens = long.MaxValue });
        (await both.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("outputTokens");
        var longId = await provider.Http.PostMoneyAsync($"/v1/rentals/{rental}/usage", new { requestId = new string('r', 101), inputTokens = 1, outputTokens = 1 });
        Assert.Contains("at most 100", (await longId.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("requestId"));
        Assert.Equal(HttpStatusCode.Created, (await provider.Http.PostMoneyAsync($"/v1/rentals/{rental}/usage", new { requestId = new string('r', 100), inputTokens = 1000, outputTokens = 0 })).StatusCode);
        await api.AssertLedgerCleanAsync();
    }

    [Theory]
    [InlineData("compute", "{\"hours\":0}", "hours", "between 1 and 8760")]
    [InlineData("compute", "{\"hours\":8761}", "hours", "between 1 and 8760")]
    [InlineData("compute", "{\"hours\":99999999999}", "hours", "whole number")]
    [InlineData("compute", "{\"hours\":-1}", "hours", "between 1 and 8760")]
    [InlineData("compute", "{\"days\":1}", "days", "not a field of a compute rental")]
    [InlineData("compute", "{\"budget\":\"1\"}", "budget", "not a field of a compute rental")]
    [InlineData("compute", "{\"gpus\":1,\"hours\":1}", "gpus", "not a field of this request")]
    [InlineData("compute", "{}", "hours", "required")]
    [InlineData("storage", "{\"hours\":1}", "hours", "not a field of a storage rental")]
    [InlineData("storage", "{\"days\":3651}", "days", "between 1 and 3650")]
    [InlineData("model", "{\"budget\":\"0.0000000000000000001\"}", "budget", "19 decimals")]
    [InlineData("model", "{\"budget\":1}", "budget", "string")]
    [InlineData("model", "{\"budget\":\"0\"}", "budget", "more than zero")]
    [InlineData("model", "{\"hours\":1}", "hours", "not a field of a model rental")]
    public async Task Bad_extensions_are_400s_naming_the_field_and_escrow_nothing(string kind, string body, string field, string reason)
    {
        var market = await MarketAsync(kind);
        var rental = (await market.Client.RentAsync(CreateBody(kind, market.OfferId))).IdOf();
        var before = await market.Client.RentalAsync(rental);
        var balances = (await market.Client.BalancesAsync()).ToJsonString();
        var response = await market.Client.Http.SendRawAsync(HttpMethod.Post, $"/v1/rentals/{rental}/extend", body);
        Assert.Contains(reason, (await response.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor(field));
        Assert.Equal(before.ToJsonString(), (await market.Client.RentalAsync(rental)).ToJsonString());
        Assert.Equal(balances, (await market.Client.BalancesAsync()).ToJsonString());
    }

    [Theory]
    [InlineData("{\"perDay\":\"0\"}", "more than zero")]
    [InlineData("{\"perDay\":\"-1\"}", "negative")]
    [InlineData("{\"perDay\":5}", "string")]
    [InlineData("{\"perDay\":\"1.1234567890123456789\"}", "19 decimals")]
    [InlineData("{\"perDay\":\"1\\u0000\"}", "")]
    [InlineData("{}", "required")]
    [InlineData("{\"perDay\":null}", "")]
    public async Task Bad_spend_caps_are_400s_naming_perDay(string body, string reason)
    {
        var client = await api.SignUpAsync("client");
        var response = await client.Http.SendRawAsync(HttpMethod.Put, "/v1/accounts/me/spend-cap", body);
        Assert.Contains(reason, (await response.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("perDay"));
        Assert.Null((await client.Http.GetFromJsonAsync<JsonObject>("/v1/accounts/me/spend-cap"))!["perDay"]);
    }

    /// <summary>
    /// Amounts near the top of the token's range — a budget or an extension of the largest amount, an offer priced
    /// near it — cost more than any balance can hold: a 4xx, never an arithmetic overflow surfacing as a 500.
    /// </summary>
    [Fact]
    public async Task Amounts_at_the_top_of_the_token_s_range_are_refused_without_a_server_error()
    {
        var model = await MarketAsync("model");
        AssertClientError(await model.Client.Http.PostMoneyAsync("/v1/rentals", new { kind = "model", offerId = model.OfferId, budget = MaxTokens }));
        var rental = (await model.Client.RentAsync(new { kind = "model", offerId = model.OfferId, budget = "1" })).IdOf();
        AssertClientError(await model.Client.Http.PostMoneyAsync($"/v1/rentals/{rental}/extend", new { budget = MaxTokens }));

        // A daily cap makes the cap's arithmetic run on the same amounts.
        Assert.Equal(HttpStatusCode.OK, (await model.Client.Http.PutAsJsonAsync("/v1/accounts/me/spend-cap", new { perDay = "2" })).StatusCode);
        AssertClientError(await model.Client.Http.PostMoneyAsync($"/v1/rentals/{rental}/extend", new { budget = "100000000000000000000000000000000000000000000000000000000000" }));
        // Price and fee together are exactly the largest amount: with what was committed today, the day's total is above it.
        var fullest = await model.Client.Http.PostMoneyAsync("/v1/rentals", new { kind = "model", offerId = model.OfferId, budget = "115503330910041092691841381554800905589296742808619016498212.053873230054503676" });
        Assert.Contains("spend cap", (await fullest.ProblemAsync(HttpStatusCode.Conflict))["detail"].Text());

        var provider = await api.SignUpAsync("provider");
        var client = await api.SignUpAsync("client");
        await api.FundAsync(client.Id, "100");
        var huge = "10000000000000000000000000000000000000000000000000000000000";
        var compute = await provider.PublishOfferAsync("compute", Scenario.ComputeOffer(price: huge));
        AssertClientError(await client.Http.PostMoneyAsync("/v1/rentals", new { kind = "compute", offerId = compute, gpus = 8, hours = 720 }));
        var storage = await provider.PublishOfferAsync("storage", RentalMarkets.StorageOffer(price: huge, capacityGb: 100_000_000));
        AssertClientError(await client.Http.PostMoneyAsync("/v1/rentals", new { kind = "storage", offerId = storage, gigabytes = 100_000_000, days = 3650 }));
        Assert.Equal("100", (await client.BalancesAsync())["available"].Text());

        // A provider's own offer priced near the top, reporting the largest usage: charged at most the budget.
        var expensive = await provider.PublishOfferAsync("model", RentalMarkets.ModelOffer(inputPrice: huge, outputPrice: huge));
        var priced = (await client.RentAsync(new { kind = "model", offerId = expensive, budget = "1" })).IdOf();
        await provider.ActAsync(priced, "accept");
        var report = await provider.Http.PostMoneyAsync($"/v1/rentals/{priced}/usage", new { requestId = "big", inputTokens = 100_000_000, outputTokens = 100_000_000 });
        Assert.True(report.StatusCode == HttpStatusCode.Created, await report.Content.ReadAsStringAsync());
        var spent = await client.RentalAsync(priced);
        Assert.Equal("1", spent["charged"].Text());
        Assert.Equal("insufficient_funds", spent["endReason"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Theory]
    [InlineData("compute")]
    [InlineData("storage")]
    public async Task A_usage_report_for_a_time_billed_rental_is_a_409_that_charges_nothing(string kind)
    {
        var market = await MarketAsync(kind);
        var rental = (await market.Client.RentAsync(CreateBody(kind, market.OfferId))).IdOf();
        await market.Provider.ActAsync(rental, "accept");
        var response = await market.Provider.Http.PostMoneyAsync($"/v1/rentals/{rental}/usage", new { requestId = "r1", inputTokens = 1000, outputTokens = 1000 });
        Assert.Contains("model rental", (await response.ProblemAsync(HttpStatusCode.Conflict))["detail"].Text());
        Assert.Equal("0", (await market.Client.RentalAsync(rental))["charged"].Text());
        await api.AssertLedgerCleanAsync();
    }

    /// <summary>
    /// Every move on a rental that has ended, however it ended, is a 409 saying so — a script retrying an old
    /// command must learn the rental's state, not meet a 500 — and moves nothing.
    /// </summary>
    [Theory]
    [InlineData("compute", "declined")]
    [InlineData("compute", "cancelled")]
    [InlineData("compute", "expired")]
    [InlineData("compute", "completed")]
    [InlineData("compute", "terminated")]
    [InlineData("storage", "declined")]
    [InlineData("storage", "completed")]
    [InlineData("model", "cancelled")]
    [InlineData("model", "completed")]
    public async Task Every_move_on_an_ended_rental_is_a_409_and_moves_nothing(string kind, string ending)
    {
        var market = await MarketAsync(kind);
        var rental = (await market.Client.RentAsync(CreateBody(kind, market.OfferId))).IdOf();
        switch (ending)
        {
            case "declined":
                await market.Provider.ActAsync(rental, "decline");
                break;
            case "cancelled":
                await market.Client.ActAsync(rental, "cancel");
                break;
            case "expired":
                api.Clock.Advance(TimeSpan.FromMinutes(16));
                await api.MeterAsync();
                break;
            default:
                await market.Provider.ActAsync(rental, "accept");
                api.Clock.Advance(TimeSpan.FromHours(1.5));
                await market.Client.ActAsync(rental, "stop");
                if (ending == "terminated")
                {
                    // Terminate the next one while active instead: a stopped rental is completed.
                    rental = (await market.Client.RentAsync(CreateBody(kind, market.OfferId))).IdOf();
                    await market.Provider.ActAsync(rental, "accept");
                    await market.Provider.ActAsync(rental, "terminate");
                }
                break;
        }
        var ended = await market.Client.RentalAsync(rental);
        Assert.Equal(ending, ended["status"].Text());
        var balances = (await market.Client.BalancesAsync()).ToJsonString();
        (TestAccount Caller, HttpMethod Method, string Action, object? Body)[] moves =
        [
            (market.Provider, HttpMethod.Post, "accept", null), (market.Provider, HttpMethod.Post, "decline", null),
            (market.Provider, HttpMethod.Post, "terminate", null),
            (market.Provider, HttpMethod.Put, "access", new { access = new Dictionary<string, string> { ["ssh"] = "x" } }),
            (market.Provider, HttpMethod.Post, "usage", new { requestId = "late", inputTokens = 1000, outputTokens = 1000 }),
            (market.Client, HttpMethod.Post, "cancel", null), (market.Client, HttpMethod.Post, "stop", null),
            (market.Client, HttpMethod.Post, "extend", kind switch { "compute" => new { hours = 1 }, "storage" => (object)new { days = 1 }, _ => new { budget = "1" } }),
        ];
        foreach (var (caller, method, action, body) in moves)
        {
            var response = await caller.Http.SendRawAsync(method, $"/v1/rentals/{rental}/{action}", body is null ? null : System.Text.Json.JsonSerializer.Serialize(body, System.Text.Json.JsonSerializerOptions.Web));
            // A usage report for a time-billed rental is refused for its kind, equally a 409.
            Assert.Contains(ending, (await response.ProblemAsync(HttpStatusCode.Conflict))["detail"].Text());
        }
        Assert.Equal(ended.ToJsonString(), (await market.Client.RentalAsync(rental)).ToJsonString());
        Assert.Equal(balances, (await market.Client.BalancesAsync()).ToJsonString());
        await api.AssertLedgerCleanAsync();
    }

    public static TheoryData<string> ListPaths() => ["/v1/rentals", "/v1/rentals/{id}/events", "/v1/rentals/{id}/charges"];

    public static TheoryData<string, string> GarbageCursors()
    {
        var data = new TheoryData<string, string>();
        string[] cursors =
        [
            Cursor("null"), Cursor("[]"), Cursor("{}"), Cursor("\"x\""), Cursor("not json at all"), Cursor("{\"After\":0}"), Cursor("{\"After\":-5}"),
            Cursor("{\"After\":\"7\"}"), Cursor("{\"After\":1e30}"), Cursor("{\"After\":9223372036854775808}"),
            Cursor($$"""{"CreatedAt":"2025-01-01T00:00:00+00:00","Id":"00000000-0000-0000-0000-000000000000"}"""),
            Cursor($$"""{"CreatedAt":"yesterday","Id":"{{Guid.NewGuid()}}"}"""),
            Cursor($$"""{"CreatedAt":5,"Id":7}"""), Cursor("{\"Id\":\"not-a-guid\"}"),
            "%%%not-base64%%%", "=", new string('A', 5000), "\u0000",
        ];
        foreach (var path in ListPaths())
        {
            foreach (var cursor in cursors)
            {
                data.Add(path, cursor);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(GarbageCursors))]
    public async Task A_cursor_the_API_did_not_issue_is_a_400_naming_the_cursor(string path, string cursor)
    {
        var (client, rental) = await RentalWithHistoryAsync();
        var response = await client.Http.GetAsync($"{path.Replace("{id}", rental.ToString(), StringComparison.Ordinal)}?cursor={Uri.EscapeDataString(cursor)}");
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("cursor"), problem.ToJsonString());
    }

    [Fact]
    public async Task Cursors_the_API_issued_page_through_rentals_and_events_without_gaps_or_repeats()
    {
        var market = await MarketAsync("compute");
        var created = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await market.Client.RentAsync(CreateBody("compute", market.OfferId))).IdOf());
            // The same instant for two rentals: the id breaks the tie in the cursor.
            if (i % 2 == 1)
            {
                api.Clock.Advance(TimeSpan.FromSeconds(1));
            }
        }
        await market.Client.ActAsync(created[0], "extend", new { hours = 1 });
        await market.Client.ActAsync(created[0], "cancel");
        // Newest first; rentals of one instant in id order, which a version 7 id leaves random within the millisecond.
        var listed = await PageAsync(market.Client, "/v1/rentals?limit=2", "id");
        Assert.Equal(created.Select(id => id.ToString()).Order(), listed.Order());
        Assert.Equal(["created", "extended", "cancelled"], await PageAsync(market.Client, $"/v1/rentals/{created[0]}/events?limit=1", "type"));
    }

    private static async Task<List<string>> PageAsync(TestAccount client, string first, string field)
    {
        var seen = new List<string>();
        var url = first;
        for (var page = 0; page < 20; page++)
        {
            var body = (await client.Http.GetFromJsonAsync<JsonObject>(url))!;
            seen.AddRange(body["items"]!.AsArray().Select(i => i![field]!.GetValue<string>()));
            if (body["nextCursor"]?.GetValue<string>() is not { } next)
            {
                return seen;
            }
            url = $"{first}&cursor={Uri.EscapeDataString(next)}";
        }
        throw new InvalidOperationException("The cursor never ran out.");
    }

    /// <summary>Well-formed cursors with odd contents: the API cannot tell them from its own, but they never give a 500.</summary>
    [Theory]
    [InlineData("/v1/rentals", """{"CreatedAt":"2025-01-01T00:00:00+01:00","Id":"0196a000-0000-7000-8000-000000000001"}""")]
    [InlineData("/v1/rentals", """{"CreatedAt":"2025-01-01T00:00:00-14:00","Id":"0196a000-0000-7000-8000-000000000001"}""")]
    [InlineData("/v1/rentals", """{"CreatedAt":"0001-01-01T00:00:00+00:00","Id":"0196a000-0000-7000-8000-000000000001"}""")]
    [InlineData("/v1/rentals", """{"CreatedAt":"0001-01-01T00:00:00+05:00","Id":"0196a000-0000-7000-8000-000000000001"}""")]
    [InlineData("/v1/rentals", """{"CreatedAt":"9999-12-31T23:59:59.9999999+00:00","Id":"0196a000-0000-7000-8000-000000000001"}""")]
    [InlineData("/v1/rentals", """{"CreatedAt":"9999-12-31T23:59:59.9999999-05:00","Id":"0196a000-0000-7000-8000-000000000001"}""")]
    [InlineData("/v1/rentals", """{"Id":"0196a000-0000-7000-8000-000000000001"}""")]
    [InlineData("/v1/rentals", """{"CreatedAt":"2025-01-01T00:00:00Z","Id":"0196a000-0000-7000-8000-000000000001","Extra":1}""")]
    [InlineData("/v1/rentals/{id}/events", """{"After":9223372036854775807}""")]
    [InlineData("/v1/rentals/{id}/charges", """{"After":9223372036854775807}""")]
    [InlineData("/v1/rentals/{id}/events", """{"After":1,"Extra":"x"}""")]
    public async Task A_well_formed_cursor_with_odd_contents_is_never_a_server_error(string path, string json)
    {
        var (client, rental) = await RentalWithHistoryAsync();
        var response = await client.Http.GetAsync($"{path.Replace("{id}", rental.ToString(), StringComparison.Ordinal)}?cursor={Cursor(json)}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            Assert.Contains("cursor", text);
        }
    }

    [Theory]
    [InlineData("/v1/rentals?colour=red", "colour")]
    [InlineData("/v1/rentals?role=admin", "role")]
    [InlineData("/v1/rentals?role=", "role")]
    [InlineData("/v1/rentals?role=client%00", "role")]
    [InlineData("/v1/rentals?status=running", "status")]
    [InlineData("/v1/rentals?status=%00", "status")]
    [InlineData("/v1/rentals?limit=0", "limit")]
    [InlineData("/v1/rentals?limit=101", "limit")]
    [InlineData("/v1/rentals?limit=abc", "limit")]
    [InlineData("/v1/rentals?limit=99999999999999999999", "limit")]
    [InlineData("/v1/rentals?limit=1.5", "limit")]
    [InlineData("/v1/rentals?ro%00le=client", "query")]
    [InlineData("/v1/rentals/{id}/events?status=active", "status")]
    [InlineData("/v1/rentals/{id}/events?limit=201", "limit")]
    [InlineData("/v1/rentals/{id}/events?limit=-1", "limit")]
    [InlineData("/v1/rentals/{id}/charges?role=client", "role")]
    [InlineData("/v1/rentals/{id}/charges?after=1", "after")]
    public async Task Unknown_or_bad_query_parameters_are_400s_naming_them(string path, string field)
    {
        var (client, rental) = await RentalWithHistoryAsync();
        var response = await client.Http.GetAsync(path.Replace("{id}", rental.ToString(), StringComparison.Ordinal));
        (await response.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor(field);
    }

    [Theory]
    [InlineData("GET", "/v1/rentals/not-a-guid")]
    [InlineData("GET", "/v1/rentals/12345/events")]
    [InlineData("GET", "/v1/rentals/0196a000-0000-7000-8000-00000000000g/charges")]
    [InlineData("POST", "/v1/rentals/not-a-guid/accept")]
    [InlineData("POST", "/v1/rentals/not-a-guid/stop")]
    [InlineData("POST", "/v1/rentals/not-a-guid/usage")]
    [InlineData("POST", "/v1/rentals/{0196a000-0000-7000-8000-000000000001}x/extend")]
    [InlineData("PUT", "/v1/rentals/..%2F..%2Fadmin/access")]
    public async Task A_malformed_rental_id_is_a_404_problem(string method, string path)
    {
        var client = await api.SignUpAsync();
        var response = await client.Http.SendRawAsync(new HttpMethod(method), path, method == "GET" ? null : "{}");
        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("POST", "", "", HttpStatusCode.BadRequest)]
    [InlineData("POST", "", "null", HttpStatusCode.BadRequest)]
    [InlineData("POST", "", "[]", HttpStatusCode.BadRequest)]
    [InlineData("POST", "", "\"compute\"", HttpStatusCode.BadRequest)]
    [InlineData("POST", "", "{}", HttpStatusCode.BadRequest)]
    [InlineData("POST", "", "{\"kind\":\"compute\",", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/usage", "", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/usage", "{}", HttpStatusCode.BadRequest)]
    [InlineData("PUT", "/access", "", HttpStatusCode.BadRequest)]
    [InlineData("PUT", "/access", "{}", HttpStatusCode.BadRequest)]
    [InlineData("PUT", "/access", "{\"access\":null}", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/extend", "", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/extend", "null", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/accept", "[1,2]", HttpStatusCode.BadRequest)]
    public async Task Empty_or_shapeless_bodies_are_400s_and_move_nothing(string method, string action, string body, HttpStatusCode expected)
    {
        var market = await MarketAsync("compute");
        var rental = (await market.Client.RentAsync(CreateBody("compute", market.OfferId))).IdOf();
        var balances = (await market.Client.BalancesAsync()).ToJsonString();
        var path = action.Length == 0 ? "/v1/rentals" : $"/v1/rentals/{rental}{action}";
        var caller = action is "/usage" or "/access" or "/accept" ? market.Provider : market.Client;
        await (await caller.Http.SendRawAsync(new HttpMethod(method), path, body)).ProblemAsync(expected);
        Assert.Equal(balances, (await market.Client.BalancesAsync()).ToJsonString());
        Assert.Equal("pending", (await market.Client.RentalAsync(rental))["status"].Text());
    }

    [Fact]
    public async Task Accept_takes_no_body_at_all_since_the_access_details_are_optional()
    {
        var market = await MarketAsync("compute");
        var rental = (await market.Client.RentAsync(CreateBody("compute", market.OfferId))).IdOf();
        var accepted = await market.Provider.Http.SendRawAsync(HttpMethod.Post, $"/v1/rentals/{rental}/accept", null);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Null((await market.Client.RentalAsync(rental))["access"]);
    }

    [Theory]
    [InlineData("POST", "")]
    [InlineData("POST", "/usage")]
    [InlineData("PUT", "/access")]
    [InlineData("POST", "/accept")]
    [InlineData("POST", "/extend")]
    [InlineData("PUT", "spend-cap")]
    public async Task A_body_of_a_megabyte_is_a_413_and_moves_nothing(string method, string action)
    {
        var market = await MarketAsync("compute");
        var rental = (await market.Client.RentAsync(CreateBody("compute", market.OfferId))).IdOf();
        var balances = (await market.Client.BalancesAsync()).ToJsonString();
        var path = action switch { "" => "/v1/rentals", "spend-cap" => "/v1/accounts/me/spend-cap", _ => $"/v1/rentals/{rental}{action}" };
        var caller = action is "/usage" or "/access" or "/accept" ? market.Provider : market.Client;
        var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent("{\"access\":{\"ssh\":\"" + new string('x', 1024 * 1024) + "\"}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        // The server refuses on the announced length; waiting for its 100 Continue means the client never sends the
        // megabyte into a connection the server has closed (a broken pipe on the client's side, not an answer).
        request.Headers.ExpectContinue = true;
        using var http = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(5) }) { BaseAddress = api.Client().BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", caller.Key);
        await (await http.SendAsync(request)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(balances, (await market.Client.BalancesAsync()).ToJsonString());
        Assert.Equal("pending", (await market.Client.RentalAsync(rental))["status"].Text());
    }

    [Fact]
    public async Task Deeply_nested_JSON_is_a_400()
    {
        var market = await MarketAsync("compute");
        var rental = (await market.Client.RentAsync(CreateBody("compute", market.OfferId))).IdOf();
        var deep = "{\"access\":" + string.Concat(Enumerable.Repeat("{\"a\":", 500)) + "1" + new string('}', 501);
        await (await market.Provider.Http.SendRawAsync(HttpMethod.Post, $"/v1/rentals/{rental}/accept", deep)).ProblemAsync(HttpStatusCode.BadRequest);
        await (await market.Client.Http.SendRawAsync(HttpMethod.Post, "/v1/rentals", deep)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    /// <summary>A bounded, seeded fuzz over every rental endpoint that takes a body, from both sides: no input may produce a 5xx.</summary>
    [Fact]
    public async Task Random_rental_bodies_never_produce_a_server_error()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var compute = await MarketAsync("compute");
        var model = await MarketAsync("model");
        var pending = (await compute.Client.RentAsync(CreateBody("compute", compute.OfferId))).IdOf();
        var active = (await model.Client.RentAsync(CreateBody("model", model.OfferId))).IdOf();
        await model.Provider.ActAsync(active, "accept");
        JsonNode?[] values =
        [
            null, 0, -1, 1, 64, 65, 8760, int.MaxValue, long.MaxValue, long.MinValue, 1e300, 1.5, "", "x", "1", "-0.0", "0.000000000000000001",
            MaxTokens, "99999999999999999999999999999999999999999999999999999999999999999999999999999999", "compute", "storage", "model",
            compute.OfferId.ToString(), model.OfferId.ToString(), Guid.Empty.ToString(), "\u0000", true, new JsonArray(), new JsonObject(),
            new JsonObject { ["ssh"] = "x" }, new JsonObject { ["ssh"] = 1 },
        ];
        string[] fields = ["kind", "offerId", "gpus", "hours", "gigabytes", "days", "budget", "access", "requestId", "inputTokens", "outputTokens", "perDay"];
        (TestAccount Caller, HttpMethod Method, string Path)[] targets =
        [
            (compute.Client, HttpMethod.Post, "/v1/rentals"), (model.Client, HttpMethod.Post, "/v1/rentals"),
            (compute.Client, HttpMethod.Post, $"/v1/rentals/{pending}/extend"), (model.Client, HttpMethod.Post, $"/v1/rentals/{active}/extend"),
            (compute.Provider, HttpMethod.Post, $"/v1/rentals/{pending}/accept"), (model.Provider, HttpMethod.Put, $"/v1/rentals/{active}/access"),
            (model.Provider, HttpMethod.Post, $"/v1/rentals/{active}/usage"), (compute.Client, HttpMethod.Put, "/v1/accounts/me/spend-cap"),
        ];
        for (var i = 0; i < 200; i++)
        {
            var body = new JsonObject();
            foreach (var field in fields.Where(_ => random.Next(3) == 0))
            {
                body[field] = values[random.Next(values.Length)]?.DeepClone();
            }
            var (caller, method, path) = targets[random.Next(targets.Length)];
            var response = await caller.Http.SendRawAsync(method, path, body.ToJsonString());
            Assert.True((int)response.StatusCode < 500, $"seed {seed}: {method} {path} {body.ToJsonString()} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        await api.AssertLedgerCleanAsync();
    }

    /// <summary>
    /// A client that sends its headers and half its body, then hangs up: the request never reaches the ledger, so
    /// nothing is escrowed, no capacity is taken and no key is kept; the same key with the whole body then rents.
    /// </summary>
    [Fact]
    public async Task A_client_that_hangs_up_half_way_through_the_body_leaves_no_rental_no_escrow_and_no_key()
    {
        var market = await MarketAsync("compute");
        var key = Guid.NewGuid().ToString();
        var body = CreateBody("compute", market.OfferId).ToJsonString();
        await HangUpAsync(market.Client, "/v1/rentals", key, body, sendBytes: body.Length / 2, reset: false);
        await HangUpAsync(market.Client, "/v1/rentals", key, body, sendBytes: body.Length - 1, reset: true);
        await AssertUntouchedAsync(market);

        var retry = await market.Client.Http.PostMoneyAsync("/v1/rentals", CreateBody("compute", market.OfferId), key);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Single(await ListAsync(market.Client));
        await api.AssertLedgerCleanAsync();
    }

    /// <summary>
    /// Clients that send the whole request and hang up at once, some at the first byte of the answer, some sooner:
    /// whether each rental happened or not, it happened whole — capacity, escrow and key together — and the retry
    /// with the same key answers it (replayed) or makes it, so every key ends with exactly one rental.
    /// </summary>
    [Fact]
    public async Task Clients_that_hang_up_after_sending_get_exactly_one_rental_per_key_once_they_retry()
    {
        const int attempts = 16;
        var market = await MarketAsync("compute", gpus: 32);
        var keys = Enumerable.Range(0, attempts).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var body = CreateBody("compute", market.OfferId);
        await Task.WhenAll(keys.Select((key, i) => HangUpAsync(market.Client, "/v1/rentals", key, body.ToJsonString(), sendBytes: int.MaxValue, reset: i % 2 == 0)));

        // Each rental that exists is whole: the ledger check ties every escrow balance to the rentals that hold it.
        await api.AssertLedgerCleanAsync();
        var replayed = 0;
        foreach (var key in keys)
        {
            var retry = await market.Client.Http.PostMoneyAsync("/v1/rentals", body, key);
            Assert.True(retry.StatusCode == HttpStatusCode.Created, await retry.Content.ReadAsStringAsync());
            replayed += retry.Headers.Contains("Idempotent-Replayed") ? 1 : 0;
        }
        var rentals = await ListAsync(market.Client);
        Assert.Equal(attempts, rentals.Count);
        var escrow = rentals.Aggregate(DepinMarket.Domain.Money.TokenAmount.Zero, (sum, r) => sum + DepinMarket.Domain.Money.TokenAmount.Parse(r!["escrowed"].Text())
            + DepinMarket.Domain.Money.TokenAmount.Parse(r["escrowedFee"].Text()));
        Assert.Equal(escrow.ToString(), (await market.Client.BalancesAsync())["escrow"].Text());
        Assert.Equal(32 - attempts, (await market.Client.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/compute/{market.OfferId}"))!["gpusAvailable"]!.GetValue<int>());
        await api.AssertLedgerCleanAsync();
        // Whichever way each went, the count adds up; how many replayed depends on when the server saw the hang-up.
        Assert.InRange(replayed, 0, attempts);
    }

    private sealed record Market(TestAccount Provider, Guid OfferId, TestAccount Client, string Kind);

    private async Task<Market> MarketAsync(string kind, int gpus = 8)
    {
        var (provider, offerId, client) = kind switch
        {
            "compute" => await api.ComputeMarketAsync(gpus: gpus),
            "storage" => await api.StorageMarketAsync(pricePerGbMonth: "0.002", capacityGb: 10_000, minDays: 30),
            _ => await api.ModelMarketAsync(),
        };
        return new Market(provider, offerId, client, kind);
    }

    private static JsonObject CreateBody(string kind, Guid offerId) => kind switch
    {
        "compute" => new JsonObject { ["kind"] = "compute", ["offerId"] = offerId, ["gpus"] = 1, ["hours"] = 2 },
        "storage" => new JsonObject { ["kind"] = "storage", ["offerId"] = offerId, ["gigabytes"] = 100, ["days"] = 30 },
        _ => new JsonObject { ["kind"] = "model", ["offerId"] = offerId, ["budget"] = "5" },
    };

    private async Task<(TestAccount Provider, Guid Rental, TestAccount Client)> ActiveModelRentalAsync()
    {
        var market = await MarketAsync("model");
        var rental = (await market.Client.RentAsync(CreateBody("model", market.OfferId))).IdOf();
        await market.Provider.ActAsync(rental, "accept");
        return (market.Provider, rental, market.Client);
    }

    /// <summary>A client whose accepted compute rental has events and a charge, so every list has something to page.</summary>
    private async Task<(TestAccount Client, Guid Rental)> RentalWithHistoryAsync()
    {
        var market = await MarketAsync("compute");
        var rental = (await market.Client.RentAsync(CreateBody("compute", market.OfferId))).IdOf();
        await market.Provider.ActAsync(rental, "accept");
        await market.Client.ActAsync(rental, "stop");
        return (market.Client, rental);
    }

    private static async Task<JsonObject> Create(TestAccount client, string body, HttpStatusCode expected) =>
        await (await client.Http.SendRawAsync(HttpMethod.Post, "/v1/rentals", body)).ProblemAsync(expected);

    /// <summary>The market as it started: no rental, the client's funds all available, the offer's capacity whole.</summary>
    private async Task AssertUntouchedAsync(Market market)
    {
        Assert.Empty(await ListAsync(market.Client));
        var balances = await market.Client.BalancesAsync();
        Assert.Equal("100", balances["available"].Text());
        Assert.Equal("0", balances["escrow"].Text());
        if (market.Kind == "compute")
        {
            Assert.Equal(8, (await market.Client.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/compute/{market.OfferId}"))!["gpusAvailable"]!.GetValue<int>());
        }
        await api.AssertLedgerCleanAsync();
    }

    private static async Task<JsonArray> ListAsync(TestAccount client) =>
        (await client.Http.GetFromJsonAsync<JsonObject>("/v1/rentals?limit=100"))!["items"]!.AsArray();

    private static void AssertClientError(HttpResponseMessage response)
    {
        var code = (int)response.StatusCode;
        Assert.True(code is >= 400 and < 500, $"{code}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
    }

    /// <summary>
    /// Sends a request over a raw socket — the headers announcing the whole body, then <paramref name="sendBytes"/>
    /// of it — and hangs up: with a reset (RST) when <paramref name="reset"/>, else an orderly close. A request
    /// sent whole waits for the first byte of the answer or for the server to see the hang-up, whichever comes first.
    /// </summary>
    private async Task HangUpAsync(TestAccount account, string path, string key, string body, int sendBytes, bool reset)
    {
        var server = api.Client().BaseAddress!;
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(server.Host, server.Port);
        var content = Encoding.UTF8.GetBytes(body);
        var head = Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: Bearer {account.Key}\r\nIdempotency-Key: {key}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {content.Length}\r\n\r\n");
        await socket.SendAsync(head);
        await socket.SendAsync(content.AsMemory(0, Math.Min(sendBytes, content.Length)));
        if (sendBytes >= content.Length && !reset)
        {
            // Hang up as the answer starts: the endpoint has decided by then, and the client never reads the answer.
            await socket.ReceiveAsync(new byte[1]);
        }
        if (reset)
        {
            socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);
        }
        socket.Close();
    }

    private static string Cursor(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
