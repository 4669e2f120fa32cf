namespace DepinMarket.Agent.Tests.Fakes;

/// <summary>
/// Runs the agent (<see cref="AgentHost"/>, the whole run command) against a <see cref="FakeNodeApi"/> with a state
/// file in a temporary folder, a fixed clock and waits that return at once but are recorded. Without --once the
/// run ends when <see cref="StopWhen"/> holds at a wait.
/// </summary>
public sealed class AgentRun : IDisposable
{
    /// <summary>The fixed time of every run: sequences start at its Unix milliseconds.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly StringWriter _log = new();

    public AgentRun(FakeNodeApi api)
    {
        Api = api;
        Directory.CreateDirectory(Folder);
    }

    public FakeNodeApi Api { get; }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "agent-tests-" + Guid.NewGuid().ToString("N"));

    public string StatePath => Path.Combine(Folder, "state", "state.json");

    public string StorageDir => Path.Combine(Folder, "storage");

    /// <summary>The provider key passed with --api-key.</summary>
    public string ApiKey { get; set; } = FakeNodeApi.ApiKey;

    public List<TimeSpan> Waits { get; } = [];

    public Func<bool> StopWhen { get; set; } = () => true;

    public string Log => _log.ToString();

    public static long NowMs => Now.ToUnixTimeMilliseconds();

    public AgentOptions Options(params string[] extra)
    {
        string[] args = ["--api", Api.Address.ToString(), "--api-key", ApiKey, "--name", "rig-01", "--state", StatePath, .. extra];
        var (options, error) = AgentOptions.Parse(args, _ => null);
        return options ?? throw new InvalidOperationException(error);
    }

    public async Task<int> RunAsync(params string[] extra)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var clock = new AgentClock(new FixedTime(Now), (wait, cancellationToken) =>
        {
            lock (Waits)
            {
                Waits.Add(wait);
            }
            if (StopWhen())
            {
                stop.Cancel();
            }
            cancellationToken.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        }, () => 0.5);
        var log = new AgentLog(TextWriter.Synchronized(_log), verbose: true, new FixedTime(Now));
        return await AgentHost.RunAsync(Options(extra), log, clock, handler: null, stop.Token);
    }

    public AgentStateStore State() => AgentStateStore.Open(StatePath);

    public void Dispose()
    {
        _log.Dispose();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
