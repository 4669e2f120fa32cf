using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// The rental API (a clock the test moves, metering by hand) with webhook deliveries by hand too
/// (<see cref="DeliverAsync"/>), private addresses allowed (the listener is on loopback), a short retry schedule
/// (10 s, 1 min) and a 2 s timeout.
/// </summary>
public class WebhookApi : RentalApi
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["Webhooks:DeliveryEnabled"] = "false",
        ["Webhooks:AllowPrivateNetworks"] = "true",
        ["Webhooks:RetrySchedule:0"] = "00:00:10",
        ["Webhooks:RetrySchedule:1"] = "00:01:00",
        ["Webhooks:Timeout"] = "00:00:02",
    };

    public Task<WebhookRun> DeliverAsync() => Services.GetRequiredService<WebhookDeliverer>().RunOnceAsync(CancellationToken.None);
}

public static class WebhookScenario
{
    /// <summary>Registers an endpoint for <paramref name="account"/>; returns its id and its secret.</summary>
    public static async Task<(Guid Id, string Secret)> AddWebhookAsync(this TestAccount account, string url, params string[] eventTypes)
    {
        var response = await account.Http.PostAsJsonAsync("/v1/webhooks", new { url, eventTypes });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (created["id"]!.GetValue<Guid>(), created["secret"]!.GetValue<string>());
    }

    public static async Task<JsonArray> DeliveriesAsync(this TestAccount account, Guid endpointId, string query = "") =>
        (await account.Http.GetFromJsonAsync<JsonObject>($"/v1/webhooks/{endpointId}/deliveries{query}"))!["items"]!.AsArray();

    /// <summary>Every rental event type the endpoint can hear.</summary>
    public static readonly string[] RentalEvents =
    [
        "rental.created", "rental.accepted", "rental.declined", "rental.cancelled", "rental.expired", "rental.completed",
        "rental.terminated", "rental.extended", "rental.access_updated", "rental.charge_warning", "rental.downtime_credited",
    ];
}
