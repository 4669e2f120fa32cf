using DepinMarket.Agent.Tests.Fakes;

namespace DepinMarket.Agent.Tests;

public sealed class HeartbeatLoopTests : IAsyncLifetime
{
    private FakeNodeApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeNodeApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_restart_reuses_the_registered_node_and_continues_its_sequence()
    {
        using var run = new AgentRun(_api);

        var first = await run.RunAsync("--once");
        var second = await run.RunAsync("--once");

        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok), (first, second));
        Assert.Single(_api.Registrations);
        var node = Assert.Single(_api.Nodes.Keys);
        Assert.Equal([(node, AgentRun.NowMs), (node, AgentRun.NowMs + 1)], _api.HeartbeatsAccepted);
    }

    [Fact]
    public async Task Registration_asks_for_the_name_and_interval_given()
    {
        using var run = new AgentRun(_api);

        await run.RunAsync("--once", "--interval", "45");

        var registration = Assert.Single(_api.Registrations);
        Assert.Equal("rig-01", registration["name"]!.GetValue<string>());
        Assert.Equal(45, registration["heartbeatIntervalSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_replayed_sequence_makes_the_next_heartbeat_jump_above_the_apis_last()
    {
        using var run = new AgentRun(_api);
        _api.InitialLastSequence = AgentRun.NowMs + 5000;

        var exitCode = await run.RunAsync("--once");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal(AgentRun.NowMs + 5001, Assert.Single(_api.HeartbeatsAccepted).Sequence);
        Assert.Equal(AgentRun.NowMs + 5001, run.State().Find(_api.Address.AbsoluteUri, "rig-01")!.LastSequence);
    }

    [Fact]
    public async Task An_unreachable_api_is_retried_with_growing_waits_and_rising_sequences_until_it_answers()
    {
        using var run = new AgentRun(_api);
        _api.HeartbeatFaults.Enqueue(HeartbeatFault.Abort);
        _api.HeartbeatFaults.Enqueue(HeartbeatFault.ServiceUnavailable);
        _api.HeartbeatFaults.Enqueue(HeartbeatFault.ServiceUnavailable);
        run.StopWhen = () => _api.HeartbeatsAccepted.Count > 0;

        var exitCode = await run.RunAsync();

        Assert.Equal(ExitCodes.Ok, exitCode);
        // Jitter 0.5 gives three quarters of 1 s, 2 s, 4 s; then the API's 30 s interval after the accepted one.
        Assert.Equal([0.75, 1.5, 3, FakeNodeApi.NextHeartbeatSeconds], run.Waits.Select(w => w.TotalSeconds));
        Assert.Equal([AgentRun.NowMs, AgentRun.NowMs + 1, AgentRun.NowMs + 2, AgentRun.NowMs + 3],
            _api.HeartbeatsReceived.Select(h => h.Body["sequence"]!.GetValue<long>()));
        Assert.Equal(AgentRun.NowMs + 3, Assert.Single(_api.HeartbeatsAccepted).Sequence);
    }

    [Fact]
    public async Task A_429_waits_at_least_its_retry_after()
    {
        using var run = new AgentRun(_api);
        _api.HeartbeatFaults.Enqueue(HeartbeatFault.TooManyRequests);
        run.StopWhen = () => _api.HeartbeatsAccepted.Count > 0;

        await run.RunAsync();

        Assert.Equal(TimeSpan.FromSeconds(7), run.Waits[0]);
    }

    [Fact]
    public async Task With_once_an_unreachable_api_ends_the_run_with_exit_code_1()
    {
        using var run = new AgentRun(_api);
        _api.HeartbeatFaults.Enqueue(HeartbeatFault.ServiceUnavailable);

        var exitCode = await run.RunAsync("--once");

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Empty(run.Waits);
    }

    [Fact]
    public async Task A_challenge_listed_by_a_heartbeat_is_answered_with_a_proof_that_verifies()
    {
        using var run = new AgentRun(_api);
        var node = _api.AddNode("rig-01");
        Remember(run, node.Id, node.Token);
        var rental = Guid.NewGuid();
        var data = RandomBytes((5 * 4096) + 123);
        Directory.CreateDirectory(run.StorageDir);
        await File.WriteAllBytesAsync(ChallengeResponder.FileFor(run.StorageDir, rental), data);
        var challenge = _api.Challenge(node.Id, rental, data, chunkIndex: 5);

        var exitCode = await run.RunAsync("--once", "--storage-dir", run.StorageDir);

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal([(challenge.Id, "passed")], _api.Answers);
    }

    [Fact]
    public async Task A_file_that_does_not_match_the_commitment_is_not_answered_and_the_log_says_why()
    {
        using var run = new AgentRun(_api);
        var node = _api.AddNode("rig-01");
        Remember(run, node.Id, node.Token);
        var rental = Guid.NewGuid();
        Directory.CreateDirectory(run.StorageDir);
        await File.WriteAllBytesAsync(ChallengeResponder.FileFor(run.StorageDir, rental), RandomBytes(3 * 4096));
        var challenge = _api.Challenge(node.Id, rental, RandomBytes(3 * 4096), chunkIndex: 1);

        await run.RunAsync("--once", "--storage-dir", run.StorageDir);

        Assert.Empty(_api.Answers);
        Assert.Contains($"challenge {challenge.Id} (rental {rental}, chunk 1) not answered", run.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_node_token_stops_the_agent_with_exit_code_2()
    {
        using var run = new AgentRun(_api);
        Remember(run, _api.AddNode("rig-01").Id, "dmn_0000000000000000_stale");
        run.StopWhen = () => false;

        var exitCode = await run.RunAsync();

        Assert.Equal(ExitCodes.CredentialsRefused, exitCode);
        Assert.Contains("rotate-token", run.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_api_key_at_registration_stops_the_agent_with_exit_code_2()
    {
        using var run = new AgentRun(_api) { ApiKey = "dpm_0000000000000000_wrong" };

        var exitCode = await run.RunAsync("--once");

        Assert.Equal(ExitCodes.CredentialsRefused, exitCode);
        Assert.Empty(_api.Nodes);
    }

    [Fact]
    public async Task A_node_the_api_no_longer_knows_is_registered_again()
    {
        using var run = new AgentRun(_api);
        Remember(run, Guid.NewGuid(), "dmn_0000000000000000_gone");

        var exitCode = await run.RunAsync("--once");

        Assert.Equal(ExitCodes.Ok, exitCode);
        var registered = Assert.Single(_api.Nodes.Keys);
        Assert.Equal(registered, run.State().Find(_api.Address.AbsoluteUri, "rig-01")!.NodeId);
        Assert.Equal(registered, Assert.Single(_api.HeartbeatsAccepted).NodeId);
    }

    [Fact]
    public async Task An_offer_is_declared_once_for_the_node_and_its_id_kept_across_restarts()
    {
        using var run = new AgentRun(_api);
        string[] args = ["--once", "--simulate", "1", "--offer-price", "2.5", "--region", "DE"];

        await run.RunAsync(args);
        await run.RunAsync(args);

        var offer = Assert.Single(_api.Offers);
        var node = Assert.Single(_api.Nodes.Values);
        Assert.Equal(node.Id.ToString(), offer["nodeId"]!.GetValue<string>());
        Assert.Equal((SimulatedGpus.Model, 8, "2.5"),
            (offer["gpuModel"]!.GetValue<string>(), offer["gpuCount"]!.GetValue<int>(), offer["pricePerGpuHour"]!.GetValue<string>()));
        Assert.NotNull(run.State().Find(_api.Address.AbsoluteUri, node.Name)!.OfferId);
    }

    [Fact]
    public async Task Simulate_registers_and_heartbeats_each_pretend_node_with_eight_gpus()
    {
        using var run = new AgentRun(_api);

        var exitCode = await run.RunAsync("--once", "--simulate", "3");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal(["rig-01-sim-01", "rig-01-sim-02", "rig-01-sim-03"], _api.Nodes.Values.Select(n => n.Name).Order());
        Assert.All(_api.HeartbeatsReceived, h => Assert.Equal(8, h.Body["gpus"]!.AsArray().Count));
        Assert.Equal(3, _api.HeartbeatsAccepted.Select(h => h.NodeId).Distinct().Count());
    }

    /// <summary>A state file that already holds node <paramref name="nodeId"/> of rig-01, as a previous run leaves it.</summary>
    private void Remember(AgentRun run, Guid nodeId, string token) =>
        run.State().Put(new NodeEntry(_api.Address.AbsoluteUri, "rig-01", nodeId, token, LastSequence: 0));

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
