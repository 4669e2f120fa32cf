using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Rentals;
using DepinMarket.Api.Hosting;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DepinMarket.Api.Tests;

/// <summary>
/// The charges and metered rentals written by one statement per transaction (RentalBatchWrites) instead of through
/// SaveChanges: the same rows, the same answers, and the same refusal of a rental changed since it was read.
/// </summary>
public sealed class RentalBatchWritesTests(RentalApi api) : IClassFixture<RentalApi>
{
    [Fact]
    public async Task One_metering_pass_gives_each_of_many_rentals_its_own_charge_naming_its_own_journal()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync(price: "2.5", gpus: 8, funds: "100");
        var rentals = new Dictionary<Guid, int>();
        foreach (var gpus in new[] { 1, 2, 3 })
        {
            var id = (await client.RentAsync(new { kind = "compute", offerId, gpus, hours = 2 }))["id"]!.GetValue<Guid>();
            await provider.ActAsync(id, "accept");
            rentals[id] = gpus;
        }
        api.Clock.Advance(TimeSpan.FromSeconds(61));
        await api.MeterAsync();

        var chargeIds = new HashSet<long>();
        var journalIds = new HashSet<long>();
        foreach (var (id, gpus) in rentals)
        {
            var charge = Assert.Single((await client.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{id}/charges"))!["items"]!.AsArray())!;
            var usage = TokenAmount.Parse("2.5").MulDiv(gpus * 61, 3600).Quotient;
            Assert.Equal(gpus * 61, charge["quantity"]!.GetValue<long>());
            Assert.Equal("gpu_second", charge["unit"].Text());
            Assert.Equal(usage.ToString(), charge["usage"].Text());
            Assert.Equal(usage.BasisPoints(25).Quotient.ToString(), charge["clientFee"].Text());
            Assert.Equal(TimeSpan.FromSeconds(61), charge["periodEnd"]!.GetValue<DateTimeOffset>() - charge["periodStart"]!.GetValue<DateTimeOffset>());
            Assert.Null(charge["requestId"]);
            Assert.True(chargeIds.Add(charge["id"]!.GetValue<long>()));
            Assert.True(journalIds.Add(charge["journalId"]!.GetValue<long>()));
            var rental = await client.RentalAsync(id);
            Assert.Equal(usage.ToString(), rental["charged"].Text());
            Assert.Equal(usage.BasisPoints(25).Quotient.ToString(), rental["chargedClientFee"].Text());
        }
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_usage_report_answers_with_the_charge_exactly_as_it_is_listed()
    {
        var provider = await api.SignUpAsync("provider");
        var offer = (await (await provider.Http.PostAsJsonAsync("/v1/offers/model", OfferLifecycleTests.ValidOffer("model"))).Content.ReadFromJsonAsync<JsonObject>())!;
        var offerId = offer["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await provider.Http.PostAsync($"/v1/offers/model/{offerId}/publish", null)).StatusCode);
        var client = await api.SignUpAsync("client");
        await api.FundAsync(client.Id, "10");
        var id = (await client.RentAsync(new { kind = "model", offerId, budget = "1" }))["id"]!.GetValue<Guid>();
        await provider.ActAsync(id, "accept");

        var report = new { requestId = "req-1", inputTokens = 120_000, outputTokens = 30_000 };
        var created = await provider.Http.PostAsJsonAsync($"/v1/rentals/{id}/usage", report);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var answered = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(answered["id"]!.GetValue<long>() > 0);

        var listed = Assert.Single((await provider.Http.GetFromJsonAsync<JsonObject>($"/v1/rentals/{id}/charges"))!["items"]!.AsArray())!;
        Assert.Equal(listed.ToJsonString(), answered.ToJsonString());
        var replay = await provider.Http.PostAsJsonAsync($"/v1/rentals/{id}/usage", report);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(listed.ToJsonString(), (await replay.Content.ReadFromJsonAsync<JsonObject>())!.ToJsonString());
        await api.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_metered_rental_changed_since_it_was_read_is_refused_and_its_row_left_as_the_other_writer_left_it()
    {
        var (provider, offerId, client) = await api.ComputeMarketAsync();
        var id = (await client.RentAsync(new { kind = "compute", offerId, gpus = 1, hours = 1 }))["id"]!.GetValue<Guid>();
        await provider.ActAsync(id, "accept");

        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        // Read without FOR UPDATE, so another writer can change the row before this transaction writes it.
        var rental = await db.Rentals.SingleAsync(r => r.Id == id);
        await using (var other = api.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("update rentals set warnings_sent = 1 where id = @id"))
        {
            other.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await other.ExecuteNonQueryAsync());
        }
        api.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.False(rental.MeterTo(api.Clock.Now()).IsZero);

        var (connection, npgsqlTransaction) = RentalCapacity.Connection(db);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => RentalBatchWrites.UpdateMeteredRentalsAsync(db, connection, npgsqlTransaction, CancellationToken.None));
        await transaction.RollbackAsync();

        var row = await client.RentalAsync(id);
        Assert.Equal("0", row["charged"].Text());
        await using var read = api.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("select warnings_sent from rentals where id = @id");
        read.Parameters.AddWithValue("id", id);
        Assert.Equal(1, (int)(await read.ExecuteScalarAsync())!);
    }

    [Fact]
    public void The_set_based_writes_name_every_column_of_a_charge_and_every_column_metering_changes()
    {
        using var scope = api.Services.CreateScope();
        var model = scope.ServiceProvider.GetRequiredService<MarketDbContext>().Model;
        var charge = model.FindEntityType(typeof(RentalCharge))!;
        Assert.Equal(charge.GetProperties().Select(p => p.GetColumnName()).Where(c => c != "id").Order(), RentalBatchWrites.ChargeColumns.Order());
        var rental = model.FindEntityType(typeof(Rental))!;
        foreach (var name in RentalBatchWrites.MeteredProperties)
        {
            var column = rental.FindProperty(name)!.GetColumnName();
            Assert.Contains($" {column} = u.{column}", RentalBatchWrites.UpdateRentalsSql, StringComparison.Ordinal);
        }
    }
}
