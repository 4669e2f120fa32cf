using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>Where the built app takes its settings from, started as a process the way run.sh and deployments start it.</summary>
public sealed class HostSettingsTests : IAsyncLifetime
{
    private string _connectionString = "";
    private readonly string _elsewhere = Directory.CreateTempSubdirectory("depinmarket-cwd-").FullName;

    public async Task InitializeAsync() => _connectionString = await PostgresServer.CreateDatabaseAsync();

    public Task DisposeAsync()
    {
        Directory.Delete(_elsewhere, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Started_from_another_directory_the_app_still_reads_its_own_appsettings()
    {
        // appsettings.json quiets EF Core to Warning; without it every SQL statement is logged at Information.
        await using var api = await ApiProcess.StartAsync(_elsewhere, new Dictionary<string, string>
        {
            ["ConnectionStrings__Market"] = _connectionString,
        });
        using var http = api.Client();
        var response = await http.PostAsJsonAsync("/v1/accounts", new
        {
            displayName = "content root check",
            roles = new[] { "client" },
            walletAddress = "0x00000000000000000000000000000000000c0de1",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var output = await api.WaitForOutputAsync("HTTP POST /v1/accounts/ responded 201");
        Assert.DoesNotContain("Executed DbCommand", output);
    }

    [Fact]
    public async Task Contract_addresses_from_the_environment_win_over_the_deployment_file()
    {
        var file = Path.Combine(_elsewhere, "chain-deployment.json");
        await File.WriteAllTextAsync(file, """
            { "Chain": { "TokenAddress": "0x5FbDB2315678afecb367f032d93F642f64180aa3", "VaultAddress": "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" } }
            """);
        await using var api = await ApiProcess.StartAsync(_elsewhere, new Dictionary<string, string>
        {
            ["ConnectionStrings__Market"] = _connectionString,
            ["Chain__DeploymentFile"] = file,
            ["Chain__TokenAddress"] = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        });
        using var http = api.Client();
        var chain = await http.GetFromJsonAsync<JsonObject>("/v1/chain");

        Assert.Equal("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0", chain!["tokenAddress"]!.GetValue<string>());
        // What the environment does not set still comes from the file.
        Assert.Equal("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", chain["vaultAddress"]!.GetValue<string>());
    }
}
