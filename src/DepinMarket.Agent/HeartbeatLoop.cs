namespace DepinMarket.Agent;

/// <summary>
/// One node's life: register when the state has no node for this API and name, then heartbeat every interval and
/// answer the storage challenges each heartbeat lists. What the API says decides the next step:
/// <list type="bullet">
/// <item>unreachable, 5xx, 429: back off (1 s doubling to 5 min, jittered, Retry-After honoured), a new sequence each try;</item>
/// <item>409 replayed: continue above the API's lastSequence at once;</item>
/// <item>404 node unknown: register a new node;</item>
/// <item>401/403: stop with exit code 2, since no retry can mend a refused token or key.</item>
/// </list>
/// A refusal that repeats without an accepted heartbeat between waits like a failure, so a confused API cannot
/// make the loop spin.
/// </summary>
public sealed class HeartbeatLoop(AgentServices services, string name, IGpuProbe gpus)
{
    private const int RefusalsBeforeWaiting = 3;

    private readonly OfferDeclaration _offer = new(services);

    private readonly List<Task> _answering = [];

    private readonly Backoff _backoff = services.Clock.NewBackoff();

    private int _refusalsInARow;

    private AgentOptions Options => services.Options;

    private AgentLog Log => services.Log;

    /// <summary>Runs until stopped (exit code 0), or until a refusal ends it; with --once after one accepted heartbeat.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var next = await StepAsync(cancellationToken);
                if (next.ExitCode is { } exitCode)
                {
                    return exitCode;
                }
                if (next.Wait is { } wait)
                {
                    await services.Clock.WaitAsync(wait, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.Verbose(name, "stopped");
            return ExitCodes.Ok;
        }
        finally
        {
            await Task.WhenAll(_answering);
        }
    }

    private async Task<Next> StepAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var node = services.State.Find(services.ApiAddress, name);
        if (node is null)
        {
            return await RegisterAsync(cancellationToken);
        }
        node = node with { LastSequence = HeartbeatSequence.Next(node.LastSequence, services.Clock.UtcNow) };
        services.State.Put(node);
        var heartbeat = new HeartbeatRequest(
            node.LastSequence, AgentVersion.Current, await gpus.ReadAsync(cancellationToken), services.Disk.FreeGb(), BandwidthMbps: null);
        var result = await services.Api.HeartbeatAsync(node, heartbeat, cancellationToken);
        return result.Outcome switch
        {
            ApiOutcome.Ok => await AcceptedAsync(node, heartbeat, result.Value!, cancellationToken),
            ApiOutcome.Transient => Failed($"heartbeat {node.LastSequence} not delivered: {result.Failure}", result.RetryAfter),
            _ => HeartbeatRefused(node, result.Problem!),
        };
    }

    private async Task<Next> RegisterAsync(CancellationToken cancellationToken)
    {
        if (Options.ApiKey is null)
        {
            Log.Info(name, $"not registered with {services.ApiAddress} yet, and registering needs a provider API key: pass --api-key or set {AgentOptions.ApiKeyVariable}");
            return Next.Stop(ExitCodes.Error);
        }
        var result = await services.Api.RegisterAsync(Options.ApiKey, new RegisterNodeRequest(name, Options.IntervalSeconds), cancellationToken);
        switch (result.Outcome)
        {
            case ApiOutcome.Ok:
                var node = result.Value!;
                services.State.Put(new NodeEntry(services.ApiAddress, name, node.Id, node.Token, LastSequence: 0));
                Log.Info(name, $"registered as node {node.Id}; its token is kept in {services.State.Path}");
                return Next.Now;
            case ApiOutcome.Transient:
                return Failed($"registration not delivered: {result.Failure}", result.RetryAfter);
            default:
                Log.Info(name, $"registration refused: {result.Problem}");
                return Next.Stop(IsCredentialRefusal(result.Problem!) ? ExitCodes.CredentialsRefused : ExitCodes.Error);
        }
    }

    private async Task<Next> AcceptedAsync(NodeEntry node, HeartbeatRequest heartbeat, HeartbeatResponse response, CancellationToken cancellationToken)
    {
        _backoff.Reset();
        _refusalsInARow = 0;
        var challenges = response.Challenges ?? [];
        Log.Verbose(name, $"heartbeat {heartbeat.Sequence} accepted: {response.Status}, {heartbeat.Gpus.Count} GPUs, {heartbeat.DiskFreeGb?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"} GB free, {challenges.Count} open challenges");
        if (challenges.Count > 0)
        {
            AnswerInBackground(node, challenges, cancellationToken);
        }
        await _offer.DeclareOnceAsync(node, heartbeat, cancellationToken);
        if (Options.Once)
        {
            await Task.WhenAll(_answering);
            return Next.Stop(ExitCodes.Ok);
        }
        var seconds = response.NextHeartbeatSeconds > 0 ? response.NextHeartbeatSeconds : Options.IntervalSeconds;
        return Next.After(TimeSpan.FromSeconds(seconds));
    }

    private Next HeartbeatRefused(NodeEntry node, ApiProblem problem)
    {
        var about = $"heartbeat {node.LastSequence} of node {node.NodeId} refused: {problem}";
        if (IsCredentialRefusal(problem))
        {
            Log.Info(name, $"{about}; the API does not take this node's token: rotate it (POST /v1/nodes/{node.NodeId}/rotate-token) and put it in {services.State.Path}, or remove the node's entry there to register a new node. Stopping.");
            return Next.Stop(ExitCodes.CredentialsRefused);
        }
        if (++_refusalsInARow > RefusalsBeforeWaiting)
        {
            return Failed($"{about} ({_refusalsInARow} refusals in a row)", retryAfter: null);
        }
        switch (problem.Status)
        {
            case 409 when problem.LastSequence is { } last:
                services.State.Put(node with { LastSequence = Math.Max(node.LastSequence, last) });
                Log.Info(name, $"{about}; continuing above the API's last accepted sequence {last}");
                return Next.Now;
            case 404:
                services.State.Remove(node.Api, node.Name);
                Log.Info(name, $"{about}; the API no longer knows the node, registering a new one");
                return Next.Now;
            default:
                return Failed(about, retryAfter: null);
        }
    }

    /// <summary>Logs a failure and waits out the backoff, or ends a --once run with exit code 1.</summary>
    private Next Failed(string what, TimeSpan? retryAfter)
    {
        if (Options.Once)
        {
            Log.Info(name, $"{what}; giving up (--once)");
            return Next.Stop(ExitCodes.Error);
        }
        var wait = _backoff.NextDelay(retryAfter);
        Log.Info(name, $"{what}; trying again in {wait.TotalSeconds:0.#} s");
        return Next.After(wait);
    }

    /// <summary>Answers off the heartbeat path: building a large file's tree must not make the node miss heartbeats.</summary>
    private void AnswerInBackground(NodeEntry node, IReadOnlyList<StorageChallenge> challenges, CancellationToken cancellationToken)
    {
        _answering.RemoveAll(t => t.IsCompleted);
        _answering.Add(Task.Run(async () =>
        {
            try
            {
                await services.Challenges.AnswerAsync(node, challenges, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: an unanswered challenge is listed again by the next run's first heartbeat.
            }
#pragma warning disable CA1031 // A background task that threw would be lost; the log is where the operator looks.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.Info(name, $"answering challenges failed: {ex.Message}");
            }
        }, CancellationToken.None));
    }

    private static bool IsCredentialRefusal(ApiProblem problem) => problem.Status is 401 or 403;

    /// <summary>What the loop does after a step: go on now, wait, or end with an exit code.</summary>
    private readonly record struct Next(TimeSpan? Wait, int? ExitCode)
    {
        public static Next Now => default;

        public static Next After(TimeSpan wait) => new(wait, null);

        public static Next Stop(int exitCode) => new(null, exitCode);
    }
}
