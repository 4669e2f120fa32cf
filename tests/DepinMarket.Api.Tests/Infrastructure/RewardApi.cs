using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Rewards;
using Microsoft.Extensions.DependencyInjection;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// <see cref="RentalApi"/> (a manual clock, metering by hand) with emission rewards from genesis = the clock's start:
/// two-hour epochs (a storage rental bills its first GB-hour inside epoch 0), a "month" of two epochs, 100 tokens per
/// epoch decaying 10% a month under a cap of 1000, 90% to providers, weights 60/20/20, closed by hand
/// (<see cref="CloseAsync"/>) two minutes after an epoch ends.
/// </summary>
public class RewardApi : RentalApi
{
    public static readonly TimeSpan EpochLength = TimeSpan.FromHours(2);

    public static readonly TimeSpan CloseDelay = TimeSpan.FromMinutes(2);

    /// <summary>Epoch 0 starts here: the clock's start cut to whole seconds, so the clock is already in epoch 0.</summary>
    public DateTimeOffset Genesis => StartInWholeSeconds;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        // Written with an offset, as an operator in Berlin might: the API works in UTC from it.
        ["Rewards:Genesis"] = Genesis.ToOffset(TimeSpan.FromHours(2)).ToString("O", CultureInfo.InvariantCulture),
        ["Rewards:EpochLength"] = "02:00:00",
        ["Rewards:DecayEvery"] = "04:00:00",
        ["Rewards:InitialPerEpochTokens"] = "100",
        ["Rewards:MonthlyDecayBps"] = "1000",
        ["Rewards:CapTokens"] = "1000",
        ["Rewards:ProvidersBps"] = "9000",
        ["Rewards:CloseDelay"] = "00:02:00",
        ["Rewards:Enabled"] = "false",
    };

    public RewardEpochCloser Closer => Services.GetRequiredService<RewardEpochCloser>();

    /// <summary>One run of the closing job: every due epoch, in order.</summary>
    public Task<(int Closed, RewardClose Last)> CloseAsync() => Closer.RunOnceAsync(CancellationToken.None);

    /// <summary>Moves the clock forward to <paramref name="at"/> (never back).</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        var by = at - Clock.GetUtcNow();
        Assert.True(by >= TimeSpan.Zero, $"the clock is already past {at:O}");
        Clock.Advance(by);
    }

    /// <summary>The clock to the first moment epoch <paramref name="epoch"/> may close.</summary>
    public void PastCloseOf(long epoch) => AdvanceTo(Genesis + (epoch + 1) * EpochLength + CloseDelay);

    /// <summary>An account funded with <paramref name="tokens"/> as a deposit, giving them all to the pool.</summary>
    public async Task FundPoolAsync(string tokens)
    {
        var funder = await this.SignUpAsync("client");
        await this.FundAsync(funder.Id, tokens);
        var response = await funder.Http.PostMoneyAsync("/v1/rewards/pool", new { amount = tokens });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET /v1/rewards/epochs/{n} without a key.</summary>
    public async Task<JsonObject> EpochAsync(long n) => (await Client().GetFromJsonAsync<JsonObject>($"/v1/rewards/epochs/{n}"))!;
}
