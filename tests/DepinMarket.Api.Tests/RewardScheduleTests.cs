using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Rewards;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Sixteen epochs of one rental on real PostgreSQL: the rate decays every two epochs, an idle epoch emits nothing, the
/// cap cuts the epoch that reaches it, an underfunded pool holds the epochs back until it is funded, and the public
/// list pages through all of them newest first.
/// </summary>
public sealed class RewardScheduleTests(RewardApi api) : IClassFixture<RewardApi>
{
    [Fact]
    public async Task Epochs_follow_the_decaying_schedule_under_the_cap_wait_for_an_underfunded_pool_and_page_newest_first()
    {
        await api.FundPoolAsync("800");
        var (provider, offerId, client) = await api.ComputeMarketAsync(price: "0.01", gpus: 1, funds: "10");
        await client.RentActiveAsync(provider, new { kind = "compute", offerId, gpus = 1, hours = 40 });
        // A charge in the middle of every epoch but epoch 1, which nobody bills in.
        foreach (var n in Enumerable.Range(0, 16).Where(n => n != 1))
        {
            api.AdvanceTo(api.Genesis + n * RewardApi.EpochLength + TimeSpan.FromHours(1));
            Assert.True((await api.MeterAsync()).Charged == 1);
        }
        api.PastCloseOf(15);

        // Real emission: 100, idle, 90, 90, 81, 81, 72.9, 72.9, 65.61, 65.61, 59.049 = 778.069; epoch 11 (59.049) needs 37.118 more than the pool has.
        var (closed, last) = await api.CloseAsync();
        Assert.Equal((11, RewardCloseOutcome.PoolShort, 11L, "37.118"), (closed, last.Outcome, last.Epoch, last.Missing.ToString()));
        Assert.Equal((0, RewardCloseOutcome.PoolShort), ((await api.CloseAsync()).Closed, (await api.CloseAsync()).Last.Outcome));
        await api.FundPoolAsync("100");
        (closed, last) = await api.CloseAsync();
        Assert.Equal((5, RewardCloseOutcome.NotDue, 16L), (closed, last.Outcome, last.Epoch));

        // The schedule counts idle epoch 1's 100 as scheduled, so the cap (1000) cuts epoch 13 to 9.7379 and emits nothing after.
        string[] emissions = ["100", "100", "90", "90", "81", "81", "72.9", "72.9", "65.61", "65.61", "59.049", "59.049", "53.1441", "9.7379", "0", "0"];
        var epochs = new List<JsonObject>();
        for (var n = 0; n < 16; n++)
        {
            epochs.Add(await api.EpochAsync(n));
        }
        Assert.Equal(emissions, epochs.Select(e => e["emission"].Text()));
        Assert.Equal(("100", "0", "0", 0), (epochs[1]["unallocated"].Text(), epochs[1]["providersShare"].Text(), epochs[1]["treasuryShare"].Text(),
            epochs[1]["providers"]!.AsArray().Count));
        Assert.Null(epochs[1]["journalId"]);
        Assert.Equal("900", epochs[15]["emittedTotal"].Text());
        Assert.All(epochs.Where((_, n) => n != 1), e => Assert.Equal(e["emission"].Text(), (e["providersShare"].Amount() + e["treasuryShare"].Amount()).ToString()));
        Assert.All(epochs.Skip(1), e => Assert.True(e["schedule"]!["rate"].Amount() >= e["emission"].Amount()));
        Assert.Equal("0", (await ScheduleAsync())["poolBalance"].Text());

        // Keyset pages of five, newest first, through all sixteen.
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = (await api.Client().GetFromJsonAsync<JsonObject>($"/v1/rewards/epochs?limit=5{(cursor is null ? "" : $"&cursor={cursor}")}"))!;
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["epoch"]!.GetValue<long>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.Equal(Enumerable.Range(0, 16).Reverse().Select(n => (long)n), seen);
        await api.AssertLedgerCleanAsync();
    }

    [Theory]
    [InlineData("/v1/rewards/epochs/abc", "n")]
    [InlineData("/v1/rewards/epochs/-1", "n")]
    [InlineData("/v1/rewards/epochs/99999999999999999999", "n")]
    [InlineData("/v1/rewards/epochs?limit=0", "limit")]
    [InlineData("/v1/rewards/epochs?limit=201", "limit")]
    [InlineData("/v1/rewards/epochs?limt=5", "limt")]
    [InlineData("/v1/rewards/epochs?cursor=forged", "cursor")]
    [InlineData("/v1/rewards/epochs/0?verbose=1", "verbose")]
    public async Task Bad_input_is_a_400_naming_the_parameter(string path, string field)
    {
        var problem = await (await api.Client().GetAsync(path)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem["errors"]!.AsObject().Single().Key);
    }

    [Fact]
    public async Task An_epoch_not_closed_is_a_404_saying_which_closes_next()
    {
        var detail = await (await api.Client().GetAsync("/v1/rewards/epochs/100000")).DetailAsync(HttpStatusCode.NotFound);
        Assert.Contains("Epoch 100000 has not closed", detail);
        Assert.Contains("the next to close is epoch", detail);
    }

    private async Task<JsonObject> ScheduleAsync() => (await api.Client().GetFromJsonAsync<JsonObject>("/v1/rewards/epochs"))!["schedule"]!.AsObject();
}
