namespace DepinMarket.Agent;

/// <summary>
/// What the agent remembers about one node between runs: enough to heartbeat as the same node (its id and token),
/// never to send a sequence the API has already seen, and not to declare its offer twice.
/// An entry belongs to one API address and one node name, so pointing the agent elsewhere registers anew.
/// </summary>
public sealed record NodeEntry(string Api, string Name, Guid NodeId, string Token, long LastSequence, Guid? OfferId = null);

/// <summary>The state file: every node this agent runs (one, or N with --simulate).</summary>
public sealed record AgentState(IReadOnlyList<NodeEntry> Nodes)
{
    public static AgentState Empty { get; } = new([]);

    public NodeEntry? Find(string api, string name) => Nodes.FirstOrDefault(n => n.Api == api && n.Name == name);

    /// <summary>The state with <paramref name="entry"/> in place of the entry for the same API and name.</summary>
    public AgentState With(NodeEntry entry) => new([.. Without(entry.Api, entry.Name).Nodes, entry]);

    public AgentState Without(string api, string name) => new([.. Nodes.Where(n => n.Api != api || n.Name != name)]);
}
