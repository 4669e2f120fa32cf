using System.Globalization;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Nodes;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Nodes;
using Npgsql;

/// <summary>
/// heartbeat-load --conn C --nodes FILE --body TEMPLATE [--workers 16] [--duration 30] [--warmup 5] [--clk-tck 100]
/// The raw-SQL baseline of the heartbeat benchmark (scripts/bench/heartbeats.sh): the database work of an accepted
/// heartbeat without HTTP, JSON or validation. Each of --workers workers (one pooled connection each at a time, like
/// the API's requests) cycles over its own slice of FILE's nodes (node i goes to worker i mod workers, as in
/// scripts/bench/heartbeat.lua) and sends the API's own statement with the API's own binding
/// (<see cref="HeartbeatWriter.AcceptCommand"/>): the token's SHA-256 computed per beat as the API does, the body
/// TEMPLATE with "{sequence}" replaced (the text the API stores for that body: the section checks that the two agree),
/// its agentVersion, now, and Nodes:MissedIntervals' default. A refused beat counts as an error. Sequences follow the
/// wrk script's rule (<see cref="FirstSequence"/>), so the API's runs and this one can take turns on the same nodes.
/// </summary>
internal static class HeartbeatBaseline
{
    /// <summary>
    /// A sender's first sequence: its start in unix seconds × 1,000,000, then one more per beat. Every run starts at
    /// least a second after the previous one began and sends fewer than a million beats a second per sender, so its
    /// sequences are above all earlier ones on the same nodes, as a real agent's (a unix time) are.
    /// </summary>
    public static long FirstSequence(DateTimeOffset start) => start.ToUnixTimeSeconds() * 1_000_000;

    public static async Task<int> RunAsync(Bench.Options o)
    {
        var nodes = HeartbeatNodes.Load(o.Get("nodes"));
        var workers = o.GetInt("workers", 16);
        if (nodes.Count < workers)
        {
            throw new ArgumentException($"{nodes.Count} nodes for {workers} workers: each worker needs a node of its own");
        }
        var slices = Enumerable.Range(0, workers).Select(w => nodes.Where((_, i) => i % workers == w).ToArray()).ToArray();
        var template = o.Get("body");
        var at = template.IndexOf("{sequence}", StringComparison.Ordinal);
        if (at < 0)
        {
            throw new ArgumentException("--body: the template needs a {sequence} placeholder");
        }
        var (before, after) = (template[..at], template[(at + "{sequence}".Length)..]);
        var agentVersion = JsonNode.Parse(before + "1" + after)!["agentVersion"]?.GetValue<string>();
        var missed = new NodeOptions().MissedIntervals;
        var first = FirstSequence(DateTimeOffset.UtcNow);
        var sent = new long[workers];
        await using var dataSource = NpgsqlDataSource.Create(o.Get("conn"));
        return await Bench.LoadAsync(o, dataSource, async worker =>
        {
            var beat = sent[worker]++;
            var slice = slices[worker];
            var (node, token) = slice[beat % slice.Length];
            var sequence = first + beat;
            var body = string.Concat(before, sequence.ToString(CultureInfo.InvariantCulture), after);
            await using var command = HeartbeatWriter.AcceptCommand(dataSource, node, NodeToken.HashOf(token), sequence, agentVersion, body,
                TimeProvider.System.Now(), missed);
            return await command.ExecuteScalarAsync() is int
                ? 1
                : throw new InvalidOperationException($"heartbeat {sequence} of node {node} refused");
        });
    }
}
