using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DepinMarket.Api.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// The real PostgreSQL the integration tests run against. Unless DEPINMARKET_TEST_POSTGRES names a server
/// (a connection string with rights to create databases), the first test to need it starts a throwaway
/// cluster on a free loopback port through scripts/postgres-cluster.sh (the same code the run script
/// uses), and the process stops it on exit. The schema is migrated once into a template database; each
/// test class then gets its own database cloned from it in milliseconds.
/// </summary>
internal static class PostgresServer
{
    private const string Template = "depinmarket_template";
    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    /// <summary>A database with every migration applied, cloned from the template.</summary>
    public static Task<string> CreateDatabaseAsync() => CreateAsync($"template {Template}");

    /// <summary>A database without a single table, not even schema_migrations.</summary>
    public static Task<string> CreateEmptyDatabaseAsync() => CreateAsync("");

    private static async Task<string> CreateAsync(string options)
    {
        var admin = await Server.Value;
        var name = "test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name} {options}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    private static async Task<string> StartAsync()
    {
        var admin = Environment.GetEnvironmentVariable("DEPINMARKET_TEST_POSTGRES") ?? await StartThrowawayClusterAsync();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists {Template}", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"create database {Template}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var templateConnection = new NpgsqlConnectionStringBuilder(admin) { Database = Template, Pooling = false }.ConnectionString;
        await using (var dataSource = NpgsqlDataSource.Create(templateConnection))
        {
            await new Migrator(dataSource, NullLogger<Migrator>.Instance).ApplyAsync(CancellationToken.None);
        }
        return admin;
    }

    private const string ClusterPrefix = "/tmp/depinmarket-test-pg-";

    private static async Task<string> StartThrowawayClusterAsync()
    {
        await ReapOrphanedClustersAsync();
        var dataDir = $"{ClusterPrefix}{Guid.NewGuid():N}";
        var port = FreePort();
        // The owner file names this test process, so a later run can tell an orphaned cluster from a live one.
        await File.WriteAllTextAsync(dataDir + ".owner", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await RunScriptAsync("start", dataDir, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveClusterAsync(dataDir).GetAwaiter().GetResult();
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Include Error Detail=true";
    }

    /// <summary>
    /// A test process that is killed outright (a crash, a CI timeout) never runs its exit handler, and its
    /// cluster would run on forever on this shared machine. Each new run stops the clusters of dead owners.
    /// </summary>
    private static async Task ReapOrphanedClustersAsync()
    {
        foreach (var dataDir in Directory.GetDirectories("/tmp", "depinmarket-test-pg-*"))
        {
            var owner = dataDir + ".owner";
            var alive = File.Exists(owner) && int.TryParse(await File.ReadAllTextAsync(owner), out var pid) && Directory.Exists($"/proc/{pid}");
            if (!alive)
            {
                await RemoveClusterAsync(dataDir);
            }
        }
        foreach (var owner in Directory.GetFiles("/tmp", "depinmarket-test-pg-*.owner").Where(o => !Directory.Exists(o[..^".owner".Length])))
        {
            File.Delete(owner);
        }
    }

    private static async Task RemoveClusterAsync(string dataDir)
    {
        // Owner file first: if the process is cut short here, the next run sees an ownerless folder and reaps it.
        File.Delete(dataDir + ".owner");
        await RunScriptAsync("destroy", dataDir);
    }

    private static async Task RunScriptAsync(params string[] args)
    {
        var script = Path.Combine(RepositoryRoot.Path, "scripts", "postgres-cluster.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        // The script's watchdog removes the cluster when this process is gone, even if it is killed before its exit handlers run.
        start.Environment["OWNER_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"postgres-cluster.sh {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
