using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>The API as deployed: the delivery worker in the background, private addresses refused.</summary>
public sealed class WebhookWorkerApi : MarketApi
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Webhooks:PollInterval"] = "00:00:00.100",
        ["Webhooks:AllowPrivateNetworks"] = "false",
    };
}

public sealed class WebhookWorkerTests(WebhookWorkerApi api) : IClassFixture<WebhookWorkerApi>, IAsyncLifetime
{
    private WebhookListener _listener = null!;

    public async Task InitializeAsync() => _listener = await WebhookListener.StartAsync();

    public async Task DisposeAsync() => await _listener.DisposeAsync();

    [Fact]
    public async Task The_background_worker_sends_what_is_queued_and_refuses_to_reach_a_loopback_address()
    {
        var account = await api.SignUpAsync("client");
        // The listener is on 127.0.0.1, which a shared deployment must not reach (Webhooks:AllowPrivateNetworks=false).
        var (hook, _) = await account.AddWebhookAsync(_listener.Url("/internal"), "rental.created");
        Assert.Equal(HttpStatusCode.Accepted, (await account.Http.PostAsync($"/v1/webhooks/{hook}/test", null)).StatusCode);

        var attempt = await WaitForAttemptAsync(account, hook);

        Assert.Null(attempt["statusCode"]);
        Assert.Contains("private or loopback", attempt["error"].Text());
        Assert.Contains("Webhooks:AllowPrivateNetworks", attempt["error"].Text());
        Assert.Empty(_listener.Received);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_too_after_resolving_it()
    {
        var account = await api.SignUpAsync("client");
        var port = new Uri(_listener.BaseUrl).Port;
        var (hook, _) = await account.AddWebhookAsync($"http://localhost:{port}/by-name", "rental.created");
        Assert.Equal(HttpStatusCode.Accepted, (await account.Http.PostAsync($"/v1/webhooks/{hook}/test", null)).StatusCode);

        var attempt = await WaitForAttemptAsync(account, hook);

        Assert.Contains("localhost resolves only to private or loopback addresses", attempt["error"].Text());
        Assert.Empty(_listener.Received);
    }

    // The worker polls every 100 ms; a minute is far more than it needs, even on a loaded machine.
    private static async Task<JsonObject> WaitForAttemptAsync(TestAccount account, Guid hook)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            var deliveries = (await account.Http.GetFromJsonAsync<JsonObject>($"/v1/webhooks/{hook}/deliveries"))!["items"]!.AsArray();
            if (deliveries.SingleOrDefault()?["attemptLog"]?.AsArray() is [var first, ..])
            {
                return first!.AsObject();
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The delivery worker made no attempt within a minute.");
    }
}

/// <summary>The worker on, private addresses allowed (a developer's machine, as scripts/run.sh sets it).</summary>
public sealed class WebhookLocalWorkerApi : MarketApi
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Webhooks:PollInterval"] = "00:00:00.100",
        ["Webhooks:AllowPrivateNetworks"] = "true",
    };
}

public sealed class WebhookLocalWorkerTests(WebhookLocalWorkerApi api) : IClassFixture<WebhookLocalWorkerApi>, IAsyncLifetime
{
    private WebhookListener _listener = null!;

    public async Task InitializeAsync() => _listener = await WebhookListener.StartAsync();

    public async Task DisposeAsync() => await _listener.DisposeAsync();

    [Fact]
    public async Task A_rental_reaches_the_listener_without_anyone_driving_the_worker()
    {
        var (_, offerId, client) = await api.ComputeMarketAsync();
        var (_, secret) = await client.AddWebhookAsync(_listener.Url("/live"), "rental.created");
        var rental = await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 1 });

        var received = await _listener.NextAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("rental.created", received.Type);
        Assert.Equal(rental.IdOf(), received.Data["rentalId"]!.GetValue<Guid>());
        Assert.True(received.IsSignedWith(secret));
        // The receiver's clock and ours agree within the usual five-minute tolerance.
        var sent = DateTimeOffset.FromUnixTimeSeconds(long.Parse(received.Timestamp!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True((DateTimeOffset.UtcNow - sent).Duration() < TimeSpan.FromMinutes(5));
    }
}
