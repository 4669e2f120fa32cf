using System.Globalization;

/// <summary>
/// heartbeat-nodes --url API --count N --out FILE [--interval 30] [--parallel 8]
/// The nodes of the heartbeat benchmark (scripts/bench/heartbeats.sh), made the way a provider makes them: one provider
/// account signed up through the API (POST /v1/accounts, roles ["provider"]), then N nodes registered with its key
/// (POST /v1/nodes, --parallel at a time so 2,000 take seconds, not minutes). FILE is a tab-separated table, one node a
/// line, under a "node:uuid, token:text" header (tab-separated): what scripts/bench/heartbeat.lua sends as, and what the raw-SQL baseline
/// (heartbeat-load, <see cref="HeartbeatBaseline"/>) binds. The API must allow N nodes a provider (Nodes:MaxNodesPerProvider).
/// </summary>
internal static class HeartbeatNodes
{
    public const string Header = "node:uuid\ttoken:text";

    public static async Task<int> RunAsync(Bench.Options o)
    {
        var count = o.GetInt("count", 2000);
        var interval = o.GetInt("interval", 30);
        using var http = new HttpClient { BaseAddress = new Uri(o.Get("url")) };
        var signUp = await BenchHttp.PostAsync(http, "/v1/accounts", null,
            new { displayName = "heartbeat bench provider", roles = new[] { "provider" }, walletAddress = "0x00000000000000000000000000000000000000b2" });
        var apiKey = signUp["apiKey"]!["key"]!.GetValue<string>();
        var nodes = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = o.GetInt("parallel", 8) }, async (i, _) =>
        {
            var node = await BenchHttp.PostAsync(http, "/v1/nodes", apiKey, new { name = $"rig-{i + 1:D5}", heartbeatIntervalSeconds = interval });
            nodes[i] = $"{node["id"]!.GetValue<Guid>()}\t{node["token"]!.GetValue<string>()}";
        });
        await File.WriteAllLinesAsync(o.Get("out"), [Header, .. nodes]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  provider {signUp["account"]!["id"]} signed up; {count} nodes registered through POST /v1/nodes (heartbeat interval {interval} s)"));
        return 0;
    }

    /// <summary>The nodes of FILE as written by <see cref="RunAsync"/>.</summary>
    public static IReadOnlyList<(Guid Id, string Token)> Load(string file)
    {
        var lines = File.ReadAllLines(file);
        if (lines.Length < 2 || lines[0] != Header)
        {
            throw new ArgumentException($"{file}: expected a \"{Header}\" header and at least one node");
        }
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(f => (Guid.Parse(f[0], CultureInfo.InvariantCulture), f[1]))];
    }
}
