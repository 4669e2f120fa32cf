namespace DepinMarket.Agent;

/// <summary>What every node loop of one agent process shares: the options, the API, the state file, the probes and the log.</summary>
public sealed record AgentServices(
    AgentOptions Options,
    NodeApiClient Api,
    AgentStateStore State,
    DiskProbe Disk,
    ChallengeResponder Challenges,
    AgentLog Log,
    AgentClock Clock)
{
    /// <summary>The API address as state entries record it.</summary>
    public string ApiAddress => Options.Api.AbsoluteUri;
}
