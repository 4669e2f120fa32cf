using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Rental events reach the integrator's listener, signed per Standard Webhooks, from the outbox written in the
/// rental's own transaction; failed deliveries are retried on the schedule and logged. Deliveries and the clock are
/// driven by the test (<see cref="WebhookApi"/>).
/// </summary>
public sealed class WebhookDeliveryTests(WebhookApi api) : IClassFixture<WebhookApi>, IAsyncLifetime
{
    private WebhookListener _listener = null!;

    public async Task InitializeAsync() => _listener = await WebhookListener.StartAsync();

    public async Task DisposeAsync() => await _listener.DisposeAsync();

    [Fact]
    public async Task A_compute_rental_from_start_to_early_stop_reaches_both_sides_listeners_signed_and_in_the_order_it_happened()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync(price: "2.5", funds: "100");
        var (clientHook, clientSecret) = await client.AddWebhookAsync(_listener.Url("/client"), WebhookScenario.RentalEvents);
        var (providerHook, providerSecret) = await provider.AddWebhookAsync(_listener.Url("/provider"), WebhookScenario.RentalEvents);

        var id = (await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 2 })).IdOf();
        await provider.ActAsync(id, "accept", new { access = new Dictionary<string, string> { ["ssh"] = "ssh user@203.0.113.7" } });
        api.Clock.Advance(TimeSpan.FromMinutes(30));
        await api.MeterAsync();
        await client.ActAsync(id, "stop");
        await api.DeliverAsync();

        Assert.Equal(6, _listener.Received.Count);
        var toClient = _listener.Received.Where(r => r.Path == "/client").ToList();
        var toProvider = _listener.Received.Where(r => r.Path == "/provider").ToList();
        Assert.Equal(["rental.created", "rental.accepted", "rental.completed"], Order(toClient).Select(r => r.Type));
        Assert.Equal(["rental.created", "rental.accepted", "rental.completed"], Order(toProvider).Select(r => r.Type));
        Assert.All(toClient, r => Assert.True(r.IsSignedWith(clientSecret), $"{r.Type} to the client is not signed with its secret"));
        Assert.All(toProvider, r => Assert.True(r.IsSignedWith(providerSecret), $"{r.Type} to the provider is not signed with its secret"));
        Assert.All(toProvider, r => Assert.False(r.IsSignedWith(clientSecret)));
        Assert.All(_listener.Received, r => Assert.Equal("application/json", r.ContentType));
        Assert.Equal(6, _listener.Received.Select(r => r.Id).Distinct().Count());
        Assert.All(_listener.Received, r => Assert.Matches("^msg_[0-9a-f]{32}$", r.Id));

        var completed = Order(toClient).Last().Data;
        var rental = await client.RentalAsync(id);
        Assert.Equal(id, completed["rentalId"]!.GetValue<Guid>());
        Assert.Equal("client", completed["actor"].Text());
        Assert.Equal("client_stopped", completed["reason"].Text());
        Assert.Equal(rental["charged"].Text(), completed["charged"].Text());
        Assert.Equal(rental["refunded"].Text(), completed["refunded"].Text());
        Assert.Equal("0", completed["held"].Text());
        // What the listener received is what the delivery log says was sent.
        var log = await client.DeliveriesAsync(clientHook);
        Assert.Equal(3, log.Count);
        Assert.All(log, d => Assert.Equal("succeeded", d!["status"].Text()));
        Assert.Equal(toClient.Select(r => r.Id).Order(), log.Select(d => d!["messageId"].Text()).Order());
        Assert.All(log, d => Assert.Equal(200, d!["attemptLog"]![0]!["statusCode"]!.GetValue<int>()));
        Assert.Equal(3, (await provider.DeliveriesAsync(providerHook)).Count);
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Escrow_warnings_go_to_the_renter_only_and_the_end_for_lack_of_funds_to_both()
    {
        var (provider, offerId, client) = await api.ModelMarketAsync(inputPrice: "1", outputPrice: "0", funds: "100");
        var (_, clientSecret) = await client.AddWebhookAsync(_listener.Url("/client"), "rental.charge_warning", "rental.terminated");
        await provider.AddWebhookAsync(_listener.Url("/provider"), "rental.charge_warning", "rental.terminated");
        var id = await client.RentActiveAsync(provider, new { kind = "model", offerId, budget = "1" });
        await provider.ReportUsageAsync(id, "a", 800_000, 0);
        await provider.ReportUsageAsync(id, "b", 150_000, 0);
        await provider.ReportUsageAsync(id, "c", 100_000, 0);

        await api.DeliverAsync();

        var toClient = _listener.Received.Where(r => r.Path == "/client").ToList();
        Assert.Equal(["rental.charge_warning", "rental.charge_warning", "rental.terminated"], Order(toClient).Select(r => r.Type));
        Assert.All(toClient, r => Assert.True(r.IsSignedWith(clientSecret)));
        Assert.Contains(toClient, r => r.Data["detail"].Text().Contains("20%", StringComparison.Ordinal));
        Assert.Contains(toClient, r => r.Data["detail"].Text().Contains("5%", StringComparison.Ordinal));
        Assert.Equal("insufficient_funds", Order(toClient)[2].Data["reason"].Text());
        var toProvider = Assert.Single(_listener.Received, r => r.Path == "/provider");
        Assert.Equal("rental.terminated", toProvider.Type);
    }

    [Fact]
    public async Task A_delivery_the_listener_refuses_is_retried_after_the_schedules_wait_with_the_same_id_and_a_fresh_signature()
    {
        var (_, offerId, client) = await api.ComputeMarketAsync();
        var (hook, secret) = await client.AddWebhookAsync(_listener.Url("/flaky"), "rental.created");
        _listener.Respond = n => n == 1 ? 500 : 204;
        await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 1 });

        await api.DeliverAsync();
        var pending = Assert.Single(await client.DeliveriesAsync(hook));
        Assert.Equal("pending", pending!["status"].Text());
        Assert.Equal(1, pending["attempts"]!.GetValue<int>());
        Assert.Equal(500, pending["lastStatusCode"]!.GetValue<int>());
        Assert.Equal(api.Clock.GetUtcNow().AddSeconds(10), pending["nextAttemptAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromSeconds(1));
        // Not due yet: nothing is sent.
        await api.DeliverAsync();
        Assert.Single(_listener.Received);

        api.Clock.Advance(TimeSpan.FromSeconds(11));
        await api.DeliverAsync();

        var attempts = _listener.Received;
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0].Id, attempts[1].Id);
        Assert.NotEqual(attempts[0].Timestamp, attempts[1].Timestamp);
        Assert.All(attempts, a => Assert.True(a.IsSignedWith(secret)));
        var delivered = Assert.Single(await client.DeliveriesAsync(hook));
        Assert.Equal("succeeded", delivered!["status"].Text());
        Assert.Null(delivered["nextAttemptAt"]);
        Assert.Equal([500, 204], delivered["attemptLog"]!.AsArray().Select(a => a!["statusCode"]!.GetValue<int>()));
        Assert.Equal([1, 2], delivered["attemptLog"]!.AsArray().Select(a => a!["attempt"]!.GetValue<int>()));
        // The same bytes each time, and the log shows them.
        Assert.Equal(attempts[0].Body, attempts[1].Body);
        Assert.Equal(JsonNode.Parse(attempts[0].Body)!.ToJsonString(), delivered["payload"]!.ToJsonString());
    }

    [Fact]
    public async Task A_listener_that_keeps_failing_gets_every_attempt_of_the_schedule_and_then_the_delivery_has_failed()
    {
        var (_, offerId, client) = await api.ComputeMarketAsync();
        var (hook, _) = await client.AddWebhookAsync(_listener.Url("/down"), "rental.created");
        _listener.Respond = _ => 503;
        await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 1 });

        await api.DeliverAsync();
        api.Clock.Advance(TimeSpan.FromSeconds(11));
        await api.DeliverAsync();
        api.Clock.Advance(TimeSpan.FromSeconds(61));
        await api.DeliverAsync();
        api.Clock.Advance(TimeSpan.FromHours(1));
        await api.DeliverAsync();

        Assert.Equal(3, _listener.Received.Count);
        var failed = Assert.Single(await client.DeliveriesAsync(hook, "?status=failed"));
        Assert.Equal(3, failed!["attempts"]!.GetValue<int>());
        Assert.Equal(503, failed["lastStatusCode"]!.GetValue<int>());
        Assert.Null(failed["nextAttemptAt"]);
        Assert.Empty(await client.DeliveriesAsync(hook, "?status=pending"));
    }

    [Fact]
    public async Task A_listener_that_is_not_there_or_answers_too_late_is_logged_with_the_reason()
    {
        var (_, offerId, client) = await api.ComputeMarketAsync();
        // A port nobody listens on: bind one, note it, close it.
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var (absent, _) = await client.AddWebhookAsync($"http://127.0.0.1:{closedPort}/hook", "rental.created");
        var (slow, _) = await client.AddWebhookAsync(_listener.Url("/slow"), "rental.created");
        _listener.Delay = TimeSpan.FromSeconds(4);
        await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 1 });

        await api.DeliverAsync();

        var refused = Assert.Single(await client.DeliveriesAsync(absent));
        Assert.Null(refused!["lastStatusCode"]);
        Assert.Contains("refused", refused["lastError"].Text(), StringComparison.OrdinalIgnoreCase);
        var late = Assert.Single(await client.DeliveriesAsync(slow));
        Assert.Contains("no answer within 2 s", late!["lastError"].Text());
        Assert.Equal("pending", late["status"].Text());
    }

    [Fact]
    public async Task A_test_event_reaches_the_endpoint_signed_and_a_disabled_endpoint_or_one_not_listening_gets_nothing()
    {
        var client = await api.SignUpAsync("client");
        var (hook, secret) = await client.AddWebhookAsync(_listener.Url("/test"), "deposit.credited");
        var queued = await client.Http.PostAsync($"/v1/webhooks/{hook}/test", null);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var test = (await queued.Content.ReadFromJsonAsync<JsonObject>())!;

        await api.DeliverAsync();

        var received = Assert.Single(_listener.Received);
        Assert.Equal("webhook.test", received.Type);
        Assert.Equal(test["messageId"].Text(), received.Id);
        Assert.True(received.IsSignedWith(secret));
        Assert.Equal(hook, received.Data["endpointId"]!.GetValue<Guid>());

        // This endpoint listens to deposits only; a rental of this client reaches nobody.
        var provider = await api.SignUpAsync("provider");
        var offer = await provider.CreateComputeOfferAsync(Scenario.ComputeOffer());
        await api.FundAsync(client.Id, "50");
        var (disabled, _) = await client.AddWebhookAsync(_listener.Url("/disabled"), "rental.created");
        Assert.Equal(HttpStatusCode.OK, (await client.Http.PatchAsJsonAsync($"/v1/webhooks/{disabled}", new { enabled = false })).StatusCode);
        await client.RentAsync(new { kind = "compute", offerId = offer.IdOf(), gpus = 1, hours = 1 });
        await api.DeliverAsync();
        Assert.Single(_listener.Received);
        Assert.Empty(await client.DeliveriesAsync(disabled));
        Assert.Contains("disabled", await (await client.Http.PostAsync($"/v1/webhooks/{disabled}/test", null)).DetailAsync(HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task A_rental_that_is_refused_writes_no_event_a_rental_that_commits_does()
    {
        var (_, offerId, client) = await api.ComputeMarketAsync(price: "2.5", funds: "1");
        var (hook, _) = await client.AddWebhookAsync(_listener.Url("/rollback"), "rental.created");

        var refused = await client.Http.PostMoneyAsync("/v1/rentals", new { kind = "compute", offerId, gpus = 1, hours = 1 });
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Empty(await client.DeliveriesAsync(hook));

        await api.FundAsync(client.Id, "10");
        await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 1 });
        Assert.Single(await client.DeliveriesAsync(hook));
    }

    // Deliveries are sent in parallel, so arrival order is not event order; the payload's timestamp and the rental's
    // own order of events are. Within one rental the status tells created < accepted < ended.
    private static List<ReceivedWebhook> Order(IEnumerable<ReceivedWebhook> received) =>
        received.OrderBy(r => r.Json["timestamp"]!.GetValue<DateTimeOffset>()).ThenBy(r => Rank(r.Type)).ToList();

    private static int Rank(string type) => Array.IndexOf(["rental.created", "rental.accepted", "rental.charge_warning", "rental.completed", "rental.terminated"], type);
}
