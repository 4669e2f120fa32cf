using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Rewards;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rewards;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Emission rewards on real PostgreSQL: rentals of the three kinds bill inside epoch 0, the clock passes its end, the
/// closing job (run concurrently, then again) closes it once, each provider's earnings grow by its share, and the
/// stored inputs recompute to the stored result and to what the rental charges say.
/// </summary>
public sealed class RewardEpochTests(RewardApi api) : IClassFixture<RewardApi>
{
    [Fact]
    public async Task An_epoch_closes_once_pays_each_provider_its_weighted_share_and_recomputes_from_its_stored_inputs()
    {
        await api.FundPoolAsync("500");
        var (computeA, offerA, clientA) = await api.ComputeMarketAsync(price: "0.5", gpus: 8, funds: "100");
        var (computeB, offerB, clientB) = await api.ComputeMarketAsync(price: "0.5", gpus: 8, funds: "100");
        var (storage, storageOffer, storageClient) = await api.StorageMarketAsync(pricePerGbMonth: "0.72", funds: "100");
        var (model, modelOffer, modelClient) = await api.ModelMarketAsync(funds: "100");
        await clientA.RentActiveAsync(computeA, new { kind = "compute", offerId = offerA, gpus = 2, hours = 3 });
        await clientB.RentActiveAsync(computeB, new { kind = "compute", offerId = offerB, gpus = 1, hours = 3 });
        await storageClient.RentActiveAsync(storage, new { kind = "storage", offerId = storageOffer, gigabytes = 100, days = 1 });
        var modelRental = await modelClient.RentActiveAsync(model, new { kind = "model", offerId = modelOffer, budget = "10" });
        Assert.Equal(HttpStatusCode.Created, (await model.ReportUsageAsync(modelRental, "req-1", 1200, 300)).StatusCode);

        // 90 minutes later, still in epoch 0 (the clock started within its first second): 2 × 5400 and 1 × 5400 GPU-seconds, 100 GB × 1 hour.
        api.Clock.Advance(TimeSpan.FromMinutes(90));
        await api.MeterAsync();
        var providers = new[] { computeA, computeB, storage, model };
        var earningsBefore = await Task.WhenAll(providers.Select(async p => (await p.BalancesAsync())["earnings"].Amount()));

        // Ended, but not yet past the close delay: nothing closes.
        api.AdvanceTo(api.Genesis + RewardApi.EpochLength + TimeSpan.FromMinutes(1));
        Assert.Equal((0, RewardCloseOutcome.NotDue), Summary(await api.CloseAsync()));
        api.PastCloseOf(0);
        // Four closers at once, then one more: epoch 0 closes exactly once, epoch 1 is not due.
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.CloseAsync()));
        Assert.Equal(1, runs.Sum(r => r.Closed));
        Assert.Equal((0, RewardCloseOutcome.NotDue), Summary(await api.CloseAsync()));
        Assert.Equal(1, await CountAsync("select count(*) from journals where kind = 'reward' and reference = 'reward-epoch:0'"));
        Assert.Equal(1, await CountAsync("select count(*) from reward_epochs"));

        // 100 tokens: 90 to providers, 10 to the treasury. All three kinds billed: compute 54 (A 2/3, B 1/3), storage 18, model 18.
        var epoch = await api.EpochAsync(0);
        Assert.Equal(("100", "90", "10", "0", "100"), (epoch["emission"].Text(), epoch["providersShare"].Text(), epoch["treasuryShare"].Text(),
            epoch["unallocated"].Text(), epoch["emittedTotal"].Text()));
        var expected = new Dictionary<Guid, (string GpuSeconds, string GbHours, string Tokens, string Share)>
        {
            [computeA.Id] = ("10800", "0", "0", "36"),
            [computeB.Id] = ("5400", "0", "0", "18"),
            [storage.Id] = ("0", "100", "0", "18"),
            [model.Id] = ("0", "0", "1500", "18"),
        };
        var shares = epoch["providers"]!.AsArray().ToDictionary(p => p!["providerId"]!.GetValue<Guid>(),
            p => (p!["gpuSeconds"].Text(), p["gbHours"].Text(), p["modelTokens"].Text(), p["share"].Text()));
        Assert.Equal(expected.OrderBy(e => e.Key), shares.OrderBy(e => e.Key));
        Assert.All(epoch["providers"]!.AsArray(), p => Assert.Equal(Reliability.Full, p!["reliabilityBps"]!.GetValue<int>()));
        Assert.Equal(("100", 1000, "100", "0"), (epoch["schedule"]!["rate"].Text(), epoch["schedule"]!["monthlyDecayBps"]!.GetValue<int>(),
            epoch["schedule"]!["initialPerEpoch"].Text(), epoch["schedule"]!["emittedBefore"].Text()));

        // Each provider's earnings grew by its share, on top of what its rentals earned meanwhile (nothing more was metered).
        for (var i = 0; i < providers.Length; i++)
        {
            var after = (await providers[i].BalancesAsync())["earnings"].Amount();
            Assert.Equal(earningsBefore[i] + TokenAmount.Parse(expected[providers[i].Id].Share), after);
        }
        var schedule = (await api.Client().GetFromJsonAsync<JsonObject>("/v1/rewards/epochs"))!["schedule"]!;
        Assert.Equal(("400", "10", "100", "900"), (schedule["poolBalance"].Text(), schedule["treasuryBalance"].Text(), schedule["emittedSoFar"].Text(),
            schedule["remainingUnderCap"].Text()));
        Assert.Equal(1, schedule["nextEpoch"]!.GetValue<long>());

        await AssertRecomputesAsync(0);
        await api.AssertLedgerCleanAsync();
    }

    private static (int, RewardCloseOutcome) Summary((int Closed, RewardClose Last) run) => (run.Closed, run.Last.Outcome);

    /// <summary>
    /// What anyone can check: the stored inputs give the stored shares through the published rules, and the rental charges
    /// of the epoch's window give the stored inputs.
    /// </summary>
    private async Task AssertRecomputesAsync(long number)
    {
        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        var epoch = await db.Set<RewardEpochRecord>().SingleAsync(e => e.Epoch == number);
        var stored = await db.Set<RewardEpochProviderRecord>().Where(p => p.Epoch == number).ToListAsync();
        var scheduled = epoch.Schedule.EmissionFor(number);
        var emittedBefore = epoch.EmittedTotal - epoch.ProvidersShare - epoch.TreasuryShare;
        var left = epoch.Cap - emittedBefore;
        var recomputed = RewardAllocation.Compute(scheduled < left ? scheduled : left, epoch.Rules, stored.Select(p => p.Contribution));
        Assert.Equal((epoch.Emission, epoch.ProvidersShare, epoch.TreasuryShare, epoch.Unallocated),
            (recomputed.Emission, recomputed.ProvidersShare, recomputed.Treasury, recomputed.Unallocated));
        Assert.Equal(stored.OrderBy(p => p.ProviderId.ToString("D"), StringComparer.Ordinal).Select(p => (p.ProviderId, p.Share)),
            recomputed.Shares.Select(s => (s.Contribution.ProviderId, s.Amount)));

        await using var connection = await api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var inputs = await RewardInputs.ReadAsync(connection, transaction, epoch.StartsAt, epoch.EndsAt, CancellationToken.None);
        Assert.Equal(inputs.Select(c => (c.ProviderId, c.GpuSeconds, c.GbHours, c.ModelTokens)).OrderBy(c => c.ProviderId),
            stored.Select(p => (p.ProviderId, p.GpuSeconds, p.GbHours, p.ModelTokens)).OrderBy(c => c.ProviderId));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = api.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
