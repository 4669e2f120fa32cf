namespace DepinMarket.Agent;

/// <summary>
/// The time, the waiting and the randomness of the agent, in one place a test can replace: a test records the waits
/// the loop asks for and returns at once, instead of sleeping through a backoff.
/// </summary>
public sealed class AgentClock(TimeProvider time, Func<TimeSpan, CancellationToken, Task> wait, Func<double> jitter)
{
    public static AgentClock System { get; } = new(TimeProvider.System, Task.Delay, Random.Shared.NextDouble);

    public TimeProvider Time => time;

    public DateTimeOffset UtcNow => time.GetUtcNow();

    public Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => wait(delay, cancellationToken);

    /// <summary>A fresh backoff policy whose jitter comes from this clock.</summary>
    public Backoff NewBackoff() => new(jitter);
}
