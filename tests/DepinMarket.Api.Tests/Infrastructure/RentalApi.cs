using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Rentals;
using Microsoft.Extensions.DependencyInjection;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// The API with a clock the test moves (<see cref="Clock"/>) and the metering worker's timer off: a test advances
/// time and runs one metering pass with <see cref="MeterAsync"/>, so charges accrue exactly when it says.
/// </summary>
public class RentalApi : MarketApi
{
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>
    /// The clock's start cut to whole seconds: a genesis (of rewards, of model scoring) the clock is already past, in
    /// the whole seconds those settings require.
    /// </summary>
    public DateTimeOffset StartInWholeSeconds { get; }

    public RentalApi()
    {
        var start = Clock.GetUtcNow();
        StartInWholeSeconds = new DateTimeOffset(start.UtcTicks - start.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Rentals:MeteringEnabled"] = "false",
        ["Rentals:AcceptWithin"] = "00:15:00",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    public Task<MeteringRun> MeterAsync() => Services.GetRequiredService<RentalMetering>().RunOnceAsync(CancellationToken.None);
}

/// <summary>A clock that stands still until a test advances it.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>Renting through the public API, as a client or provider script would.</summary>
public static class RentalScenario
{
    /// <summary>A provider with an active compute offer, and a funded client.</summary>
    public static async Task<(TestAccount Provider, Guid OfferId, TestAccount Client)> ComputeMarketAsync(
        this MarketApi api, string price = "2.5", int gpus = 8, string funds = "100")
    {
        var provider = await api.SignUpAsync("provider");
        var offer = await provider.CreateComputeOfferAsync(Scenario.ComputeOffer(price: price, gpus: gpus));
        var client = await api.SignUpAsync("client");
        await api.FundAsync(client.Id, funds);
        return (provider, offer["id"]!.GetValue<Guid>(), client);
    }

    public static async Task<JsonObject> RentAsync(this TestAccount client, object request, string? key = null)
    {
        var response = await client.Http.PostMoneyAsync("/v1/rentals", request, key);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<JsonObject> ActAsync(this TestAccount account, Guid rentalId, string action, object? body = null)
    {
        var response = await account.Http.PostMoneyAsync($"/v1/rentals/{rentalId}/{action}", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<JsonObject> RentalAsync(this TestAccount account, Guid rentalId) =>
        (await account.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{rentalId}"))!;

    public static string Text(this JsonNode? node) => node!.GetValue<string>();
}
