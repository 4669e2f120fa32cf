using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>Registering, reading, changing and deleting webhook endpoints, and who may.</summary>
public sealed class WebhookEndpointTests(MarketApi api) : IClassFixture<MarketApi>
{
    [Fact]
    public async Task The_secret_is_shown_when_created_and_rotated_and_never_when_read()
    {
        var account = await api.SignUpAsync("client");
        var response = await account.Http.PostAsJsonAsync("/v1/webhooks",
            new { url = "https://hooks.example.com/depin", eventTypes = new[] { "rental.created", "deposit.credited" }, description = "billing" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = created["id"]!.GetValue<Guid>();
        Assert.Equal($"/v1/webhooks/{id}", response.Headers.Location!.OriginalString);
        var secret = created["secret"].Text();
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", secret);
        Assert.True(created["enabled"]!.GetValue<bool>());

        var read = await account.Http.GetStringAsync($"/v1/webhooks/{id}");
        var list = await account.Http.GetStringAsync("/v1/webhooks");
        Assert.DoesNotContain("whsec_", read);
        Assert.DoesNotContain("whsec_", list);
        Assert.Equal(["rental.created", "deposit.credited"], JsonNode.Parse(read)!["eventTypes"]!.AsArray().Select(t => t.Text()));

        var rotated = (await (await account.Http.PostAsync($"/v1/webhooks/{id}/rotate-secret", null)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.StartsWith("whsec_", rotated["secret"].Text());
        Assert.NotEqual(secret, rotated["secret"].Text());
        // Neither secret reached the logs.
        Assert.DoesNotContain(api.Logs.Lines, m => m.Contains(secret, StringComparison.Ordinal) || m.Contains(rotated["secret"].Text(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_endpoint_is_changed_only_where_told_and_deleted_with_its_log()
    {
        var account = await api.SignUpAsync("client");
        var (id, _) = await account.AddWebhookAsync("https://hooks.example.com/a", "rental.created");
        var patched = await account.Http.PatchAsJsonAsync($"/v1/webhooks/{id}", new { eventTypes = new[] { "rental.completed", "rental.created" }, enabled = false });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var changed = (await patched.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("https://hooks.example.com/a", changed["url"].Text());
        Assert.Equal(["rental.created", "rental.completed"], changed["eventTypes"]!.AsArray().Select(t => t.Text()));
        Assert.False(changed["enabled"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.NoContent, (await account.Http.DeleteAsync($"/v1/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await account.Http.GetAsync($"/v1/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await account.Http.GetAsync($"/v1/webhooks/{id}/deliveries")).StatusCode);
        Assert.Empty((await account.Http.GetFromJsonAsync<JsonObject>("/v1/webhooks"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task Another_accounts_endpoint_does_not_exist_for_the_caller_whatever_it_tries()
    {
        var owner = await api.SignUpAsync("client");
        var (id, _) = await owner.AddWebhookAsync("https://hooks.example.com/owner", "rental.created");
        var stranger = await api.SignUpAsync("client", "provider");

        var attempts = new (string Name, Task<HttpResponseMessage> Response)[]
        {
            ("get", stranger.Http.GetAsync($"/v1/webhooks/{id}")),
            ("patch", stranger.Http.PatchAsJsonAsync($"/v1/webhooks/{id}", new { url = "https://evil.example.com/" })),
            ("delete", stranger.Http.DeleteAsync($"/v1/webhooks/{id}")),
            ("rotate", stranger.Http.PostAsync($"/v1/webhooks/{id}/rotate-secret", null)),
            ("test", stranger.Http.PostAsync($"/v1/webhooks/{id}/test", null)),
            ("deliveries", stranger.Http.GetAsync($"/v1/webhooks/{id}/deliveries")),
        };
        foreach (var (name, response) in attempts)
        {
            var detail = await (await response).DetailAsync(HttpStatusCode.NotFound);
            Assert.True(detail.Contains("no webhook endpoint", StringComparison.Ordinal), $"{name}: {detail}");
        }
        Assert.Empty((await stranger.Http.GetFromJsonAsync<JsonObject>("/v1/webhooks"))!["items"]!.AsArray());
        var kept = (await owner.Http.GetFromJsonAsync<JsonObject>($"/v1/webhooks/{id}"))!;
        Assert.Equal("https://hooks.example.com/owner", kept["url"].Text());
        Assert.True(kept["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_read_only_key_reads_but_cannot_register_change_or_delete()
    {
        var account = await api.SignUpAsync("client");
        var (id, _) = await account.AddWebhookAsync("https://hooks.example.com/ro", "rental.created");
        var readOnly = await api.ReadOnlyClientAsync(account);
        Assert.Equal(HttpStatusCode.OK, (await readOnly.GetAsync($"/v1/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PostAsJsonAsync("/v1/webhooks", new { url = "https://x.example.com/", eventTypes = new[] { "rental.created" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PatchAsJsonAsync($"/v1/webhooks/{id}", new { enabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.DeleteAsync($"/v1/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PostAsync($"/v1/webhooks/{id}/test", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client().GetAsync("/v1/webhooks")).StatusCode);
    }

    [Theory]
    [InlineData("""{"url":"ftp://files.example.com/","eventTypes":["rental.created"]}""", "url")]
    [InlineData("""{"url":"https://u:p@hooks.example.com/","eventTypes":["rental.created"]}""", "url")]
    [InlineData("""{"url":"https://hooks.example.com/\u0000","eventTypes":["rental.created"]}""", "url")]
    [InlineData("""{"url":"https://hooks.example.com/","eventTypes":["rental.exploded"]}""", "eventTypes")]
    [InlineData("""{"url":"https://hooks.example.com/","eventTypes":[]}""", "eventTypes")]
    [InlineData("""{"url":"https://hooks.example.com/","eventTypes":["rental.created\u0000"]}""", "eventTypes")]
    [InlineData("""{"eventTypes":["rental.created"]}""", "url")]
    [InlineData("""{"url":"https://hooks.example.com/"}""", "eventTypes")]
    [InlineData("""{"url":"https://hooks.example.com/","eventTypes":["rental.created"],"secret":"mine"}""", "secret")]
    [InlineData("""{"url":"https://hooks.example.com/","eventTypes":"rental.created"}""", "eventTypes")]
    public async Task A_bad_registration_is_a_400_naming_the_field(string body, string field)
    {
        var account = await api.SignUpAsync("client");
        var response = await account.Http.SendRawAsync(HttpMethod.Post, "/v1/webhooks", body);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Huge_values_are_refused_with_their_sizes_and_an_account_has_at_most_ten_endpoints()
    {
        var account = await api.SignUpAsync("client");
        var longUrl = await account.Http.PostAsJsonAsync("/v1/webhooks", new { url = "https://h.example.com/" + new string('a', 5000), eventTypes = new[] { "rental.created" } });
        Assert.Contains("at most 2000", (await longUrl.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("url"));
        var longNote = await account.Http.PostAsJsonAsync("/v1/webhooks", new { url = "https://h.example.com/", eventTypes = new[] { "rental.created" }, description = new string('d', 201) });
        Assert.Contains("at most 200", (await longNote.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("description"));
        var manyTypes = await account.Http.PostAsJsonAsync("/v1/webhooks", new { url = "https://h.example.com/", eventTypes = Enumerable.Repeat("rental.created", 2_000).ToArray() });
        Assert.Equal(HttpStatusCode.Created, manyTypes.StatusCode);
        Assert.Single((await manyTypes.Content.ReadFromJsonAsync<JsonObject>())!["eventTypes"]!.AsArray());

        for (var i = 1; i < 10; i++)
        {
            await account.AddWebhookAsync($"https://h.example.com/{i}", "rental.created");
        }
        var eleventh = await account.Http.PostAsJsonAsync("/v1/webhooks", new { url = "https://h.example.com/11", eventTypes = new[] { "rental.created" } });
        Assert.Contains("10 endpoints", await eleventh.DetailAsync(HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task The_delivery_log_refuses_a_forged_cursor_a_bad_limit_an_unknown_status_and_an_unknown_parameter()
    {
        var account = await api.SignUpAsync("client");
        var (id, _) = await account.AddWebhookAsync("https://hooks.example.com/log", "rental.created");
        foreach (var (query, field) in new[] { ("?cursor=bm90LWEtY3Vyc29y", "cursor"), ("?cursor=%00", "cursor"), ("?limit=0", "limit"), ("?limit=101", "limit"),
                     ("?limit=99999999999999999999", "limit"), ("?status=sent", "status"), ("?colour=red", "colour") })
        {
            var problem = await (await account.Http.GetAsync($"/v1/webhooks/{id}/deliveries{query}")).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.ToJsonString().Contains(field, StringComparison.Ordinal), $"{query}: {problem.ToJsonString()}");
        }
        Assert.Equal(HttpStatusCode.NotFound, (await account.Http.GetAsync($"/v1/webhooks/{Guid.NewGuid()}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await account.Http.GetAsync("/v1/webhooks/not-a-guid")).StatusCode);
    }

    [Fact]
    public async Task The_event_types_are_listed_for_anyone()
    {
        var types = (await api.Client().GetFromJsonAsync<JsonArray>("/v1/webhooks/event-types"))!;
        var names = types.Select(t => t!["type"].Text()).ToArray();
        Assert.Equal(WebhookScenario.RentalEvents.Order(), names.Where(n => n.StartsWith("rental.", StringComparison.Ordinal)).Order());
        Assert.Contains("deposit.credited", names);
        Assert.All(types, t => Assert.False(string.IsNullOrWhiteSpace(t!["description"].Text())));
        // Only rental events are described as rental events.
        Assert.All(types.Where(t => !t!["type"].Text().StartsWith("rental.", StringComparison.Ordinal)),
            t => Assert.DoesNotContain("rental of this account", t!["description"].Text(), StringComparison.Ordinal));
        Assert.Contains("transaction hash", types.Single(t => t!["type"].Text() == "payout.paid")!["description"].Text());
    }
}
