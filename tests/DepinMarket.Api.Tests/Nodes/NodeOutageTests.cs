using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using Npgsql;

namespace DepinMarket.Api.Tests.Nodes;

/// <summary>Nodes going down and coming back: outages, uptime, and offers hidden from search while their node is down.</summary>
public sealed class NodeOutageTests(NodeApi api) : IClassFixture<NodeApi>
{
    [Fact]
    public async Task A_silent_node_goes_down_hides_its_offers_and_comes_back_with_its_outage_recorded()
    {
        var provider = await api.SignUpAsync("provider");
        var node = await api.RegisterNodeAsync(provider, interval: 30);
        var gpu = UniqueGpu();
        var offerId = await provider.CreateNodeOfferAsync(node, gpu: gpu);
        var client = await api.SignUpAsync("client");

        // Never beat: not proven alive, not listed.
        Assert.DoesNotContain(offerId, await SearchAsync(client, gpu));
        await node.BeatOkAsync();
        Assert.Contains(offerId, await SearchAsync(client, gpu));

        // 89 s of silence is within 3 × 30 s; 91 s is not.
        api.Clock.Advance(TimeSpan.FromSeconds(89));
        Assert.DoesNotContain(node.Id, (await api.MonitorAsync()).WentDown);
        api.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Contains(node.Id, (await api.MonitorAsync()).WentDown);
        Assert.DoesNotContain(offerId, await SearchAsync(client, gpu));
        var down = await client.HealthAsync(node.Id);
        Assert.Equal("down", down["status"].Text());
        Assert.Null(Assert.Single(down["outages"]!.AsArray())!["until"]);

        // A second monitor pass opens no second outage.
        Assert.Empty((await api.MonitorAsync()).WentDown);

        api.Clock.Advance(TimeSpan.FromMinutes(10));
        await node.BeatOkAsync();
        Assert.Contains(offerId, await SearchAsync(client, gpu));
        var back = await client.HealthAsync(node.Id);
        Assert.Equal("up", back["status"].Text());
        var outage = Assert.Single(back["outages"]!.AsArray())!;
        Assert.Equal(91 + 600, outage["seconds"]!.GetValue<long>());
        // Up 0 s, then down 691 s: over the 691 s it has been monitored, uptime is 0.
        Assert.Equal(0, back["uptime"]!["last24h"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_gap_the_monitor_did_not_see_is_recorded_as_an_outage_by_the_next_heartbeat()
    {
        var node = await api.RegisterNodeAsync(await api.SignUpAsync("provider"), interval: 10);
        await node.BeatOkAsync();
        api.Clock.Advance(TimeSpan.FromSeconds(45));
        await node.BeatOkAsync();
        var health = await (await api.SignUpAsync("client")).HealthAsync(node.Id);
        var outage = Assert.Single(health["outages"]!.AsArray())!;
        Assert.Equal(45, outage["seconds"]!.GetValue<long>());
        Assert.NotNull(outage["until"]);
    }

    [Fact]
    public async Task A_node_silent_past_its_limit_is_shown_down_before_the_monitor_runs()
    {
        var node = await api.RegisterNodeAsync(await api.SignUpAsync("provider"), interval: 10);
        await node.BeatOkAsync();
        api.Clock.Advance(TimeSpan.FromSeconds(31));
        var health = await (await api.SignUpAsync("client")).HealthAsync(node.Id);
        Assert.Equal("down", health["status"].Text());
        Assert.Equal(31, Assert.Single(health["outages"]!.AsArray())!["seconds"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_uptime_search_shows_is_the_uptime_the_health_view_computes()
    {
        var provider = await api.SignUpAsync("provider");
        var node = await api.RegisterNodeAsync(provider, interval: 60);
        var gpu = UniqueGpu();
        var offerId = await provider.CreateNodeOfferAsync(node, gpu: gpu);
        await node.BeatOkAsync();
        // Up an hour, silent 7 minutes (seen by the next beat), up 3 hours, silent 4 minutes (seen by the monitor), up a minute.
        await BeatEveryMinuteForAsync(node, TimeSpan.FromHours(1));
        api.Clock.Advance(TimeSpan.FromMinutes(7));
        await node.BeatOkAsync();
        await BeatEveryMinuteForAsync(node, TimeSpan.FromHours(3));
        api.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Contains(node.Id, (await api.MonitorAsync()).WentDown);
        await node.BeatOkAsync();
        await BeatEveryMinuteForAsync(node, TimeSpan.FromMinutes(1));
        await api.MonitorAsync();

        var client = await api.SignUpAsync("client");
        var health = await client.HealthAsync(node.Id);
        Assert.Equal(2, health["outages"]!.AsArray().Count);
        var listed = (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/compute?gpu={gpu}"))!["items"]!.AsArray().Single(o => o!["id"]!.GetValue<Guid>() == offerId)!;
        Assert.Equal(health["uptime"]!["last24h"]!.GetValue<double>(), listed["reliability"]!["uptime"]!["last24h"]!.GetValue<double>());
        Assert.Equal(health["uptime"]!["last30d"]!.GetValue<double>(), listed["reliability"]!["uptime"]!["last30d"]!.GetValue<double>());
        Assert.Equal(node.Id, listed["reliability"]!["nodeId"]!.GetValue<Guid>());
        Assert.Equal("up", listed["reliability"]!["nodeStatus"].Text());
        var monitoredMinutes = 60 + 7 + 180 + 4 + 1;
        Assert.Equal(Math.Round(1 - 11.0 / monitoredMinutes, 4), health["uptime"]!["last24h"]!.GetValue<double>());
    }

    [Fact]
    public async Task Heartbeat_partitions_are_kept_for_the_coming_days_and_dropped_after_retention()
    {
        await api.MonitorAsync();
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        async Task<List<string>> PartitionsAsync()
        {
            await using var list = new NpgsqlCommand("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'node_heartbeats'::regclass order by 1", connection);
            var names = new List<string>();
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
            return names;
        }
        var today = DateTime.UtcNow.Date;
        var expected = Enumerable.Range(-1, 5).Select(d => $"node_heartbeats_{today.AddDays(d):yyyyMMdd}").ToList();
        Assert.Superset(expected.ToHashSet(), (await PartitionsAsync()).ToHashSet());

        await using (var old = new NpgsqlCommand($"create table heartbeat_partitions.node_heartbeats_{today.AddDays(-30):yyyyMMdd} partition of node_heartbeats for values from ('{today.AddDays(-30):yyyy-MM-dd}') to ('{today.AddDays(-29):yyyy-MM-dd}')", connection))
        {
            await old.ExecuteNonQueryAsync();
        }
        await api.MonitorAsync();
        Assert.DoesNotContain($"node_heartbeats_{today.AddDays(-30):yyyyMMdd}", await PartitionsAsync());
        Assert.Contains("node_heartbeats_default", await PartitionsAsync());
    }

    [Fact]
    public async Task Monitors_of_several_instances_keep_the_partitions_at_once_without_failing()
    {
        var today = DateTime.UtcNow.Date;
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop table if exists heartbeat_partitions.node_heartbeats_{today.AddDays(3):yyyyMMdd}", connection);
            await drop.ExecuteNonQueryAsync();
        }
        // Eight callers race to create the missing day: one creates it, none fails.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(api.ConnectionString);
            await connection.OpenAsync();
            await using var ensure = new NpgsqlCommand("select ensure_node_heartbeat_partitions(3, 7)", connection);
            await ensure.ExecuteNonQueryAsync();
        }));
        await using var check = new NpgsqlConnection(api.ConnectionString);
        await check.OpenAsync();
        await using var exists = new NpgsqlCommand($"select to_regclass('heartbeat_partitions.node_heartbeats_{today.AddDays(3):yyyyMMdd}') is not null", check);
        Assert.True((bool)(await exists.ExecuteScalarAsync())!);
    }

    private async Task BeatEveryMinuteForAsync(TestNode node, TimeSpan span)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += TimeSpan.FromMinutes(1))
        {
            api.Clock.Advance(TimeSpan.FromMinutes(1));
            await node.BeatOkAsync();
        }
    }

    private static async Task<IReadOnlyList<Guid>> SearchAsync(TestAccount client, string gpu) =>
        (await client.Http.GetFromJsonAsync<JsonObject>($"/v1/offers/compute?gpu={gpu}&limit=100"))!["items"]!.AsArray().Select(o => o!["id"]!.GetValue<Guid>()).ToList();

    private static int _gpu;

    /// <summary>Each test searches its own GPU model, so offers of other tests in the class never mix in.</summary>
    private static string UniqueGpu() => new[] { "B200", "L40S", "L4", "H200", "A10", "V100", "T4", "MI300X" }[Interlocked.Increment(ref _gpu) % 8];
}
