using System.Reflection;

namespace DepinMarket.Agent;

/// <summary>The agentVersion every heartbeat carries: the project's Version, so the API can tell old agents apart.</summary>
public static class AgentVersion
{
    public static string Current { get; } = typeof(AgentVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
