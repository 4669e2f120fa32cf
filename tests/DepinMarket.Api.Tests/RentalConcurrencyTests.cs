using System.Net;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Races on real PostgreSQL: clients for the last capacity, metering passes against each other and against a client
/// stopping. Every test here ends the rentals it activated, so the metering counts of one test are its own.
/// </summary>
public sealed class RentalConcurrencyTests(RentalApi api) : IClassFixture<RentalApi>
{
    private const int Rounds = 20;

    [Fact]
    public Task Two_clients_racing_for_the_last_gpu_one_wins_and_the_other_is_told_none_are_left() =>
        RaceForTheLastAsync("compute", "gpusAvailable", "has 0 GPUs left; 1 were asked for", "2.50625",
            async provider => (await provider.CreateComputeOfferAsync(Scenario.ComputeOffer(gpus: 1)))["id"]!.GetValue<Guid>(),
            offerId => new { kind = "compute", offerId, gpus = 1, hours = 1 });

    [Fact]
    public Task Two_clients_racing_for_the_last_gigabytes_one_wins_and_the_other_is_told_none_are_left() =>
        // 5 GB × 24 h × 0.001 = 0.12, and its fee.
        RaceForTheLastAsync("storage", "availableGb", "has 0 GB left; 5 were asked for", "0.1203",
            provider => provider.CreateOfferAsync("storage", new
            {
                capacityGb = 5, pricePerGbMonth = "0.72", region = "NL", replicationFactor = 1, minDurationDays = 1, proofsEnabled = false, publish = true,
            }),
            offerId => new { kind = "storage", offerId, gigabytes = 5, days = 1 });

    /// <summary>
    /// Round after round, a fresh offer whose whole capacity two clients ask for at once: one 201, one 409 naming
    /// what is left (nothing), and in the end each client's escrow holds exactly the rentals it won.
    /// </summary>
    private async Task RaceForTheLastAsync(string kind, string leftField, string lostDetail, string escrowPerRental,
        Func<TestAccount, Task<Guid>> newOffer, Func<Guid, object> request)
    {
        var provider = await api.SignUpAsync("provider");
        var clients = await Task.WhenAll(api.SignUpAsync("client"), api.SignUpAsync("client"));
        foreach (var client in clients)
        {
            await api.FundAsync(client.Id, "100");
        }
        for (var round = 0; round < Rounds; round++)
        {
            var offerId = await newOffer(provider);

            var responses = await Task.WhenAll(clients.Select(c => c.Http.PostMoneyAsync("/v1/rentals", request(offerId))));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
            var lost = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.Created);
            Assert.Contains(lostDetail, await lost.DetailAsync(HttpStatusCode.Conflict));
            Assert.Equal(0, (await provider.OfferAsync(kind, offerId))[leftField]!.GetValue<long>());
        }
        var rentals = (await Task.WhenAll(clients.Select(c => c.RentalsAsync()))).SelectMany(r => r).ToArray();
        Assert.Equal(Rounds, rentals.Length);
        Assert.Equal(Rounds, rentals.Select(r => r!["offerId"].Text()).Distinct().Count());
        foreach (var client in clients)
        {
            var won = rentals.Count(r => r!["clientId"]!.GetValue<Guid>() == client.Id);
            Assert.Equal((TokenAmount.Parse(escrowPerRental) * won).ToString(), (await client.BalancesAsync())["escrow"].Text());
        }
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Two_metering_passes_at_once_charge_each_rental_once_for_exactly_its_seconds()
    {
        var market = await ActiveRentalsAsync(24);

        var ticks = new[] { 1234, 4321, 5 };
        var elapsed = 0;
        foreach (var seconds in ticks)
        {
            api.Clock.Advance(TimeSpan.FromSeconds(seconds));
            elapsed += seconds;

            var runs = await Task.WhenAll(api.MeterAsync(), api.MeterAsync());

            // Each rental was claimed by one pass or the other, never both.
            Assert.Equal(market.Rentals.Length, runs.Sum(r => r.Charged));
            foreach (var (id, price, client) in market.Rentals)
            {
                Assert.Equal(price.MulDiv(elapsed, 3600).Quotient.ToString(), (await client.RentalAsync(id))["charged"].Text());
            }
        }
        foreach (var (id, price, client) in market.Rentals)
        {
            Assert.Equal(ticks.Length, (await client.ChargesAsync(id)).Count);
            var stopped = await client.ActAsync(id, "stop");
            Assert.Equal(price.MulDiv(elapsed, 3600).Quotient.ToString(), stopped["charged"].Text());
        }
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_client_stopping_while_a_metering_pass_runs_is_charged_its_seconds_once()
    {
        var market = await ActiveRentalsAsync(16);
        api.Clock.Advance(TimeSpan.FromSeconds(777));

        var metering = api.MeterAsync();
        var stops = await Task.WhenAll(market.Rentals.Select(r => r.Client.ActAsync(r.Id, "stop")));
        await metering;

        for (var i = 0; i < market.Rentals.Length; i++)
        {
            var (id, price, client) = market.Rentals[i];
            var usage = price.MulDiv(777, 3600).Quotient;
            Assert.Equal("completed", stops[i]["status"].Text());
            Assert.Equal(usage.ToString(), stops[i]["charged"].Text());
            Assert.Equal(usage.BasisPoints(25).Quotient.ToString(), stops[i]["chargedClientFee"].Text());
            Assert.Equal(stops[i]["escrowed"].Amount() + stops[i]["escrowedFee"].Amount(),
                stops[i]["charged"].Amount() + stops[i]["chargedClientFee"].Amount() + stops[i]["refunded"].Amount());
            Assert.Single(await client.ChargesAsync(id));
        }
        // Nothing is left for a later pass to charge.
        Assert.Equal(0, (await api.MeterAsync()).Charged);
        foreach (var client in market.Clients)
        {
            Assert.Equal("0", (await client.BalancesAsync())["escrow"].Text());
        }
        await api.AssertLedgerCleanAsync();
    }

    /// <summary>Active one-GPU rentals of two clients on three offers at odd prices.</summary>
    private async Task<(TestAccount[] Clients, (Guid Id, TokenAmount Price, TestAccount Client)[] Rentals)> ActiveRentalsAsync(int count)
    {
        var provider = await api.SignUpAsync("provider");
        var clients = await Task.WhenAll(api.SignUpAsync("client"), api.SignUpAsync("client"));
        foreach (var client in clients)
        {
            await api.FundAsync(client.Id, "1000");
        }
        string[] prices = ["1.234567", "2.5", "0.333333333333333333"];
        var offers = new List<(Guid Id, TokenAmount Price)>();
        foreach (var price in prices)
        {
            offers.Add(((await provider.CreateComputeOfferAsync(Scenario.ComputeOffer(price: price, gpus: 8)))["id"]!.GetValue<Guid>(), TokenAmount.Parse(price)));
        }
        var rentals = new List<(Guid, TokenAmount, TestAccount)>();
        for (var i = 0; i < count; i++)
        {
            var (offerId, price) = offers[i % offers.Count];
            var client = clients[i % clients.Length];
            rentals.Add((await client.RentActiveAsync(provider, new { kind = "compute", offerId, gpus = 1, hours = 3 }), price, client));
        }
        return (clients, rentals.ToArray());
    }
}
