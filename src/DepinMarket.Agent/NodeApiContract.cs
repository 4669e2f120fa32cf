namespace DepinMarket.Agent;

// The bodies of the node API contract (helper-notes/node-api-contract.md) the agent sends and reads.
// Responses are read leniently: only the members the agent uses are declared.

/// <summary>POST /v1/nodes.</summary>
public sealed record RegisterNodeRequest(string Name, int HeartbeatIntervalSeconds);

/// <summary>The 201 of POST /v1/nodes; the token is shown only here (and on rotate).</summary>
public sealed record RegisteredNode(Guid Id, string Name, string Status, string Token);

/// <summary>POST /v1/nodes/{id}/heartbeats.</summary>
public sealed record HeartbeatRequest(
    long Sequence,
    string AgentVersion,
    IReadOnlyList<GpuReading> Gpus,
    double? DiskFreeGb,
    double? BandwidthMbps);

public sealed record HeartbeatResponse(long Sequence, string Status, int NextHeartbeatSeconds, IReadOnlyList<StorageChallenge>? Challenges);

/// <summary>An open storage challenge: prove the node still holds chunk <see cref="ChunkIndex"/> of a rental's data.</summary>
public sealed record StorageChallenge(
    Guid Id,
    Guid RentalId,
    string MerkleRoot,
    int ChunkCount,
    int ChunkSize,
    int ChunkIndex,
    string Nonce,
    DateTimeOffset Deadline);

/// <summary>
/// POST /v1/nodes/{id}/challenges/{challengeId}/answer, and what `prove` prints: the chunk's bytes in base64 and
/// its Merkle proof as 0x-hex siblings from the leaf up.
/// </summary>
public sealed record ChallengeAnswer(string? Nonce, string Chunk, IReadOnlyList<string> Proof);

public sealed record ChallengeOutcome(Guid Id, string Outcome, string? Detail);

/// <summary>What `commit` prints: the commitment a client sends when it rents storage.</summary>
public sealed record StorageCommitment(string MerkleRoot, int ChunkCount, int ChunkSize);

/// <summary>
/// POST /v1/offers/compute with the contract's new nodeId. The country goes in "region", the member the offers API
/// takes today (the contract's example writes "countryCode", which that API refuses as unknown).
/// VramGbPerGpu stays null so the API fills in the catalogue size of the model.
/// </summary>
public sealed record ComputeOfferRequest(
    string GpuModel,
    int GpuCount,
    int? VramGbPerGpu,
    int CpuCores,
    int RamGb,
    int DiskGb,
    string Region,
    string? City,
    string PricePerGpuHour,
    int MinHours,
    int MaxHours,
    bool Publish,
    Guid NodeId);

public sealed record CreatedOffer(Guid Id);

/// <summary>An RFC 9457 problem; <see cref="LastSequence"/> is the extension member of a 409 replayed heartbeat.</summary>
public sealed record ApiProblem(int Status, string? Title, string? Detail, long? LastSequence, IReadOnlyDictionary<string, string[]>? Errors)
{
    /// <summary>One line for the log: "400 Bad Request: The request is not valid (gpus[0].index: must be 0 or more)".</summary>
    public override string ToString()
    {
        var errors = Errors is { Count: > 0 } ? $" ({string.Join("; ", Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))})" : "";
        return $"{Status} {Title}: {Detail?.TrimEnd('.')}{errors}".TrimEnd(' ', ':');
    }
}
