using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using Npgsql;

namespace DepinMarket.Api.Tests;

/// <summary>Its own database: 10,050 offers inserted in bulk, to show that explanations stop counting at the cap.</summary>
public sealed class SearchExplanationCapTests(MarketApi api) : IClassFixture<MarketApi>
{
    [Fact]
    public async Task Explanations_of_large_markets_say_more_than_the_cap_instead_of_counting_everything()
    {
        var provider = await api.SignUpAsync("provider");
        await using (var dataSource = NpgsqlDataSource.Create(api.ConnectionString))
        await using (var insert = dataSource.CreateCommand("""
            insert into compute_offers (id, provider_id, status, created_at, updated_at, gpu_model, gpu_short_name, gpu_count,
                vram_gb_per_gpu, cpu_cores, ram_gb, disk_gb, country_code, price_per_gpu_hour, min_hours, max_hours, gpus_available)
            select gen_random_uuid(), @provider, 'active', now(), now(), 'NVIDIA H100 80GB HBM3', 'H100', 8, 80, 96, 1024, 4000, 'DE',
                1000000000000000000 + i, 1, 720, 8
            from generate_series(1, 10050) as i
            """))
        {
            insert.Parameters.AddWithValue("provider", provider.Id);
            await insert.ExecuteNonQueryAsync();
        }

        var page = await provider.Http.GetFromJsonAsync<JsonObject>("/v1/offers/compute?gpu=H100&maxPricePerGpuHour=0.5");
        Assert.Equal("More than 10000 active compute offers match gpu=H100; 0 of them also match maxPricePerGpuHour=0.5.",
            page!["explanation"]!.GetValue<string>());
    }
}
