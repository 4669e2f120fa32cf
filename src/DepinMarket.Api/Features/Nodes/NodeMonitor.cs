using DepinMarket.Api.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.Nodes;

/// <summary>What one monitor run did.</summary>
public sealed record MonitorRun(IReadOnlyList<Guid> WentDown, int UptimeRefreshed);

/// <summary>
/// Keeps the heartbeat record honest without a heartbeat to trigger it: marks nodes that went silent as down (opening
/// their outage at their last heartbeat, so search hides their offers at once), refreshes the uptime copy search
/// shows and filters on, and keeps the raw heartbeat partitions for the coming days and drops expired ones. Every
/// statement is safe on several instances at once: a node is marked down once (the row lock and the one open outage
/// a node may have), and the uptime refresh writes the same figures whoever runs it.
/// </summary>
public sealed class NodeMonitor(NpgsqlDataSource dataSource, IOptions<NodeOptions> options, TimeProvider clock)
{
    private const string MarkDown = """
        with down as (
            update nodes set status = 'down'
            where status = 'up' and last_seen_at < @now - make_interval(secs => heartbeat_interval_seconds * @missed)
            returning id, last_seen_at)
        insert into node_outages (node_id, started_at) select id, last_seen_at from down
        on conflict (node_id) where ended_at is null do nothing
        returning node_id
        """;

    // Uptime = 1 − (outage seconds in the window) / (window seconds), the window cut to start at the node's first
    // heartbeat; an open outage counts up to now. The same rule as Domain.Trust.Uptime, which the health view uses
    // (a test holds the two to the same figures). Written only where a figure changed.
    private const string RefreshUptime = """
        with windows as (
            select id, greatest(monitored_since, @now - interval '24 hours') as day_start, greatest(monitored_since, @now - interval '30 days') as month_start
            from nodes where monitored_since is not null and monitored_since < @now),
        downtime as (
            select w.id, w.day_start, w.month_start,
                -- "filter": a node without outages joins one row of nulls, and greatest() ignores a null (it would count the whole window).
                coalesce(sum(greatest(0, extract(epoch from least(coalesce(o.ended_at, @now), @now) - greatest(o.started_at, w.day_start)))) filter (where o.id is not null), 0) as day_down,
                coalesce(sum(greatest(0, extract(epoch from least(coalesce(o.ended_at, @now), @now) - greatest(o.started_at, w.month_start)))) filter (where o.id is not null), 0) as month_down
            from windows w left join node_outages o on o.node_id = w.id and coalesce(o.ended_at, @now) > w.month_start
            group by w.id, w.day_start, w.month_start),
        figures as (
            select id,
                greatest(0, least(10000, round(10000 * (1 - day_down / extract(epoch from @now - day_start)))))::int as day_bps,
                greatest(0, least(10000, round(10000 * (1 - month_down / extract(epoch from @now - month_start)))))::int as month_bps
            from downtime)
        update nodes n set uptime24h_bps = f.day_bps, uptime30d_bps = f.month_bps
        from figures f
        where n.id = f.id and (n.uptime24h_bps is distinct from f.day_bps or n.uptime30d_bps is distinct from f.month_bps)
        """;

    public async Task<MonitorRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.Now();
        var wentDown = new List<Guid>();
        await using (var command = dataSource.CreateCommand(MarkDown))
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
            command.Parameters.Add(new NpgsqlParameter<int>("missed", options.Value.MissedIntervals));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                wentDown.Add(reader.GetGuid(0));
            }
        }
        int refreshed;
        await using (var command = dataSource.CreateCommand(RefreshUptime))
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
            refreshed = await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var command = dataSource.CreateCommand("select ensure_node_heartbeat_partitions(3, @retention)"))
        {
            command.Parameters.Add(new NpgsqlParameter<int>("retention", options.Value.HeartbeatRetentionDays));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return new MonitorRun(wentDown, refreshed);
    }
}

/// <summary>Runs <see cref="NodeMonitor"/> every Nodes:MonitorInterval.</summary>
internal sealed class NodeMonitorService(NodeMonitor monitor, IOptions<NodeOptions> options, TimeProvider clock, ILogger<NodeMonitorService> logger)
    : PeriodicService(clock, logger)
{
    protected override string Name => "Node monitor";

    protected override TimeSpan? Interval => options.Value.MonitorInterval is { } i && i > TimeSpan.Zero ? i : null;

    protected override async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        var run = await monitor.RunOnceAsync(stoppingToken);
        if (run.WentDown.Count > 0)
        {
            logger.LogInformation("{Count} nodes went down: {Nodes}", run.WentDown.Count, string.Join(", ", run.WentDown.Take(20)));
        }
    }
}
