using DepinMarket.Domain.StorageProofs;

namespace DepinMarket.Api.Features.StorageProofs;

/// <param name="MerkleRoot">0x + 64 hex: the keccak-256 Merkle root of the data cut into 4096-byte chunks
/// (`depinmarket-agent commit --file data.bin` prints it; the rules are in src/DepinMarket.Agent/README.md).</param>
/// <param name="ChunkCount">How many chunks the data has (the last may be shorter than 4096 bytes).</param>
public sealed record CommitmentRequest(string MerkleRoot, int ChunkCount);

public sealed record CommitmentResponse(Guid RentalId, string MerkleRoot, int ChunkCount, int ChunkSize, DateTimeOffset CommittedAt)
{
    public static CommitmentResponse From(StorageCommitment c) =>
        new(c.RentalId, StorageHex.Of(c.MerkleRoot), c.ChunkCount, c.ChunkSize, c.CommittedAt);
}

/// <param name="Nonce">The challenge's nonce, echoed: an answer to another challenge is refused.</param>
/// <param name="Chunk">The chunk's bytes, base64 (at most 4096 bytes).</param>
/// <param name="Proof">The sibling hashes from the leaf up, each 0x + 64 hex.</param>
public sealed record ChallengeAnswerRequest(string Nonce, string Chunk, IReadOnlyList<string> Proof);

public sealed record ChallengeOutcomeResponse(Guid Id, ChallengeStatus Outcome, string? Detail);

/// <summary>A challenge as the rental's parties see it (the nonce is the node's business until it is answered).</summary>
public sealed record ChallengeRecordResponse(Guid Id, Guid RentalId, Guid NodeId, int ChunkIndex, DateTimeOffset IssuedAt, DateTimeOffset Deadline,
    ChallengeStatus Status, DateTimeOffset? AnsweredAt, string? Detail, Guid? SlashId)
{
    public static ChallengeRecordResponse From(StorageChallenge c) =>
        new(c.Id, c.RentalId, c.NodeId, c.ChunkIndex, c.IssuedAt, c.Deadline, c.Status, c.AnsweredAt, c.Detail, c.SlashId);
}

public sealed record ChallengeList(IReadOnlyList<Nodes.StorageChallengeResponse> Items);

public sealed record ChallengeHistory(IReadOnlyList<ChallengeRecordResponse> Items);
