namespace DepinMarket.Agent;

/// <summary>
/// The run command: one <see cref="HeartbeatLoop"/> for this machine, or one per simulated node, all sharing the
/// API client and the state file. A loop that ends with an error stops the others too (outside --once): the same
/// key or configuration would fail them all, and a half-running agent hides that.
/// </summary>
public static class AgentHost
{
    /// <param name="handler">The HTTP handler; null for the real network (tests pass their own).</param>
    public static async Task<int> RunAsync(AgentOptions options, AgentLog log, AgentClock clock, HttpMessageHandler? handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        AgentStateStore state;
        try
        {
            state = AgentStateStore.Open(options.StatePath);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            log.Info("agent", ex.Message);
            return ExitCodes.Error;
        }
        using var http = NodeApiClient.CreateHttpClient(options.Api, handler);
        var api = new NodeApiClient(http);
        var services = new AgentServices(
            options, api, state, new DiskProbe(options.StorageDir),
            new ChallengeResponder(options.StorageDir, new StorageProver(), api, log), log, clock);

        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = Nodes(options, log).Select(async node =>
        {
            var exitCode = await new HeartbeatLoop(services, node.Name, node.Gpus).RunAsync(stopAll.Token);
            if (exitCode != ExitCodes.Ok && !options.Once)
            {
                await stopAll.CancelAsync();
            }
            return exitCode;
        });
        var exitCodes = await Task.WhenAll(loops);
        return exitCodes.Max();
    }

    /// <summary>This machine with nvidia-smi, or N nodes named NAME-sim-01… with eight fake H100s each.</summary>
    public static IReadOnlyList<(string Name, IGpuProbe Gpus)> Nodes(AgentOptions options, AgentLog log)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Simulate == 0)
        {
            return [(options.Name, new NvidiaSmiProbe(log, options.Name))];
        }
        var width = Math.Max(2, options.Simulate.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        return [.. Enumerable.Range(1, options.Simulate).Select(i =>
            ($"{options.Name}-sim-{i.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0')}", (IGpuProbe)new SimulatedGpus(seed: i)))];
    }
}
