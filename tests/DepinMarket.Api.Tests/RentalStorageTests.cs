using System.Net;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Tests;

/// <summary>Storage rentals end to end on real PostgreSQL: GB × days escrowed, billed per whole GB-hour, capacity taken and given back.</summary>
public sealed class RentalStorageTests(RentalApi api) : IClassFixture<RentalApi>
{
    [Fact]
    public async Task A_storage_rental_bills_whole_gigabyte_hours_and_refunds_the_rest_to_the_base_unit_when_stopped()
    {
        // 0.72 per GB-month (720 hours) is 0.001 per GB-hour.
        var (provider, offerId, client) = await api.StorageMarketAsync(pricePerGbMonth: "0.72", capacityGb: 1000, funds: "100");

        var rental = await client.RentAsync(new { kind = "storage", offerId, gigabytes = 10, days = 2 });
        var id = rental["id"]!.GetValue<Guid>();
        // 10 GB × 48 h × 0.001 = 0.48, plus the client's 0.25%.
        Assert.Equal("0.48", rental["escrowed"].Text());
        Assert.Equal("0.0012", rental["escrowedFee"].Text());
        Assert.Equal(2 * 86400, rental["termSeconds"]!.GetValue<long>());
        var balances = await client.BalancesAsync();
        Assert.Equal("99.5188", balances["available"].Text());
        Assert.Equal("0.4812", balances["escrow"].Text());
        Assert.Equal(990, (await client.OfferAsync("storage", offerId))["availableGb"]!.GetValue<long>());

        await provider.ActAsync(id, "accept", new { access = new Dictionary<string, string> { ["bucket"] = "s3://rental-bucket", ["region"] = "nl-ams" } });
        Assert.Equal("s3://rental-bucket", (await client.RentalAsync(id))["access"]!["bucket"].Text());

        // Half an hour is no whole GB-hour: nothing is charged.
        api.Clock.Advance(TimeSpan.FromMinutes(30));
        await api.MeterAsync();
        Assert.Equal("0", (await client.RentalAsync(id))["charged"].Text());
        Assert.Empty(await client.ChargesAsync(id));

        // The first whole hour: one GB-hour per GB.
        api.Clock.Advance(TimeSpan.FromMinutes(30));
        await api.MeterAsync();
        Assert.Equal("0.01", (await client.RentalAsync(id))["charged"].Text());
        var charges = await client.ChargesAsync(id);
        var first = Assert.Single(charges);
        Assert.Equal(10, first!["quantity"]!.GetValue<long>());
        Assert.Equal("gb_hour", first["unit"].Text());
        Assert.Equal("0.72", first["unitPrice"].Text());
        Assert.Equal("0.01", first["usage"].Text());

        // 1 h 59 min more (2 h 59 min in): the second whole hour only.
        api.Clock.Advance(TimeSpan.FromMinutes(119));
        await api.MeterAsync();
        Assert.Equal("0.02", (await client.RentalAsync(id))["charged"].Text());

        // Stopped 59 minutes into the third hour: that part-hour is not billed, the rest of the escrow comes back.
        var stopped = await client.ActAsync(id, "stop");
        Assert.Equal("completed", stopped["status"].Text());
        Assert.Equal("client_stopped", stopped["endReason"].Text());
        Assert.Equal("0.02", stopped["charged"].Text());
        Assert.Equal("0.00005", stopped["chargedClientFee"].Text());
        Assert.Equal("0.46115", stopped["refunded"].Text());
        Assert.Equal("0", stopped["held"].Text());
        Assert.Equal(TokenAmount.Parse("0.4812"), stopped["charged"].Amount() + stopped["chargedClientFee"].Amount() + stopped["refunded"].Amount());

        balances = await client.BalancesAsync();
        Assert.Equal("99.97995", balances["available"].Text());
        Assert.Equal("0", balances["escrow"].Text());
        // 0.02 less the 2% platform fee and the provider's 0.25%.
        Assert.Equal("0.01955", (await provider.BalancesAsync())["earnings"].Text());
        Assert.Equal("0.01955", stopped["providerEarnings"].Text());
        Assert.Equal(1000, (await client.OfferAsync("storage", offerId))["availableGb"]!.GetValue<long>());
        Assert.Equal([10L, 10L], (await client.ChargesAsync(id)).Select(c => c!["quantity"]!.GetValue<long>()));
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_storage_rental_metered_through_its_term_charges_exactly_the_escrow_and_gives_the_capacity_back()
    {
        // An odd price: 7 GB × 24 h at 0.000000000000001 per GB-month does not divide evenly per hour.
        var (provider, offerId, client) = await api.StorageMarketAsync(pricePerGbMonth: "0.000000000000001", capacityGb: 7);
        var id = await client.RentActiveAsync(provider, new { kind = "storage", offerId, gigabytes = 7, days = 1 });
        Assert.Equal(0, (await client.OfferAsync("storage", offerId))["availableGb"]!.GetValue<long>());
        foreach (var minutes in new[] { 61, 600, 599, 2000 })
        {
            api.Clock.Advance(TimeSpan.FromMinutes(minutes));
            await api.MeterAsync();
        }
        var ended = await client.RentalAsync(id);
        Assert.Equal("completed", ended["status"].Text());
        Assert.Equal("term_ended", ended["endReason"].Text());
        Assert.Equal(ended["escrowed"].Text(), ended["charged"].Text());
        Assert.Equal(ended["escrowedFee"].Text(), ended["chargedClientFee"].Text());
        Assert.Equal("0", ended["refunded"].Text());
        Assert.Equal(7 * 24, (await client.ChargesAsync(id)).Sum(c => c!["quantity"]!.GetValue<long>()));
        Assert.Equal(7, (await client.OfferAsync("storage", offerId))["availableGb"]!.GetValue<long>());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Extending_a_storage_rental_by_days_escrows_the_extra_gigabyte_hours()
    {
        var (provider, offerId, client) = await api.StorageMarketAsync(pricePerGbMonth: "0.72");
        var id = await client.RentActiveAsync(provider, new { kind = "storage", offerId, gigabytes = 100, days = 1 });
        // 100 GB × 24 h × 0.001 = 2.4; three more days add 7.2 and its fee.
        var extended = await client.ActAsync(id, "extend", new { days = 3 });
        Assert.Equal("9.6", extended["escrowed"].Text());
        Assert.Equal("0.024", extended["escrowedFee"].Text());
        Assert.Equal(4 * 86400, extended["termSeconds"]!.GetValue<long>());
        Assert.Equal("9.624", (await client.BalancesAsync())["escrow"].Text());
        var wrongField = await client.Http.PostMoneyAsync($"/v1/rentals/{id}/extend", new { hours = 3 });
        Assert.Contains("not a field of a storage rental", (await wrongField.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("hours"));
        await client.ActAsync(id, "stop");
        Assert.Equal("100", (await client.BalancesAsync())["available"].Text());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_storage_term_below_the_offers_minimum_is_refused_and_takes_no_capacity()
    {
        var (_, offerId, client) = await api.StorageMarketAsync(capacityGb: 50, minDays: 7);
        var response = await client.Http.PostMoneyAsync("/v1/rentals", new { kind = "storage", offerId, gigabytes = 50, days = 3 });
        Assert.Contains("between the offer's 7 and 3650 days", (await response.ProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("days"));
        Assert.Equal(50, (await client.OfferAsync("storage", offerId))["availableGb"]!.GetValue<long>());
        Assert.Equal("100", (await client.BalancesAsync())["available"].Text());
        await api.AssertLedgerCleanAsync();
    }
}
