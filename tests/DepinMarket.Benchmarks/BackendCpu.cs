using System.Globalization;
using Npgsql;

/// <summary>
/// CPU time (clock ticks, user + system, from /proc: the cluster runs on this machine) of the PostgreSQL
/// backends that serve one application name, and nothing else. Counting the whole cluster instead (the
/// postmaster, its live children and the children it has reaped) charged a run with the backends of the
/// previous run whenever the postmaster reaped them inside the measured window: one round showed 12.88 ms
/// per request. Here a backend counts only while it serves the measured connections.
/// </summary>
internal static class BackendCpu
{
    /// <summary>The probe's own application name, so it never counts itself.</summary>
    private const string ProbeName = "depinmarket-bench-probe";

    /// <summary>Ticks per backend process id, for the backends whose application_name is <paramref name="applicationName"/>.</summary>
    public static async Task<Dictionary<int, long>> SnapshotAsync(string connectionString, string applicationName)
    {
        var probe = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = ProbeName, Pooling = false };
        await using var connection = new NpgsqlConnection(probe.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select pid from pg_stat_activity where application_name = @app and backend_type = 'client backend'", connection);
        command.Parameters.AddWithValue("app", applicationName);
        var pids = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                pids.Add(reader.GetInt32(0));
            }
        }
        var snapshot = new Dictionary<int, long>();
        foreach (var pid in pids)
        {
            if (Ticks(pid) is { } ticks)
            {
                snapshot[pid] = ticks;
            }
        }
        return snapshot;
    }

    /// <summary>
    /// Ticks spent between two snapshots by the backends alive at the second one (a backend born in between
    /// counts from zero), and how many backends of the first snapshot were gone by the second: their last
    /// ticks are lost, so a non-zero count means the figure is a little low.
    /// </summary>
    public static (long Ticks, int Vanished) Between(Dictionary<int, long> before, Dictionary<int, long> after) =>
        (after.Sum(a => a.Value - before.GetValueOrDefault(a.Key)), before.Keys.Count(pid => !after.ContainsKey(pid)));

    private static long? Ticks(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null; // ended between the query and the read
        }
        // Fields after the command name (which sits in parentheses and may hold spaces): field 3 (state) first,
        // so utime (field 14) and stime (field 15) are at 11 and 12.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
