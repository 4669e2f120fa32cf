namespace DepinMarket.Domain.StorageProofs;

/// <summary>Where a challenge stands. Stored as text ("missed").</summary>
public enum ChallengeStatus
{
    /// <summary>Sent; the node may still answer before the deadline.</summary>
    Open,
    /// <summary>Answered with the chunk and a Merkle path that lead to the committed root.</summary>
    Passed,
    /// <summary>Answered with something that does not lead to the root (the node lost or never held the data).</summary>
    Failed,
    /// <summary>Not answered before the deadline.</summary>
    Missed,
}

/// <summary>A storage rental's data commitment: the Merkle root its renter computed, and the number of chunks.</summary>
public sealed class StorageCommitment
{
    /// <summary>Every commitment's chunk size: the agent, the reference prover and the API agree on it.</summary>
    public const int StandardChunkSize = 4096;

    public Guid RentalId { get; private set; }
    public byte[] MerkleRoot { get; private set; } = [];
    public int ChunkCount { get; private set; }
    public int ChunkSize { get; private set; }
    public DateTimeOffset CommittedAt { get; private set; }
    public DateTimeOffset NextChallengeAt { get; private set; }

    private StorageCommitment()
    {
    }

    public static StorageCommitment Commit(Guid rentalId, byte[] merkleRoot, int chunkCount, DateTimeOffset firstChallengeAt, DateTimeOffset now) => new()
    {
        RentalId = rentalId,
        MerkleRoot = merkleRoot,
        ChunkCount = chunkCount,
        ChunkSize = StandardChunkSize,
        CommittedAt = now,
        NextChallengeAt = firstChallengeAt,
    };
}

/// <summary>One challenge: prove the node still holds chunk <see cref="ChunkIndex"/> of the rental's data.</summary>
public sealed class StorageChallenge
{
    public Guid Id { get; private set; }
    public Guid RentalId { get; private set; }
    public Guid NodeId { get; private set; }
    public int ChunkIndex { get; private set; }
    public byte[] Nonce { get; private set; } = [];
    public DateTimeOffset IssuedAt { get; private set; }
    public DateTimeOffset Deadline { get; private set; }
    public ChallengeStatus Status { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }
    public string? Detail { get; private set; }
    public Guid? SlashId { get; private set; }

    private StorageChallenge()
    {
    }

    public static StorageChallenge Issue(Guid rentalId, Guid nodeId, int chunkIndex, byte[] nonce, DateTimeOffset deadline, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        RentalId = rentalId,
        NodeId = nodeId,
        ChunkIndex = chunkIndex,
        Nonce = nonce,
        IssuedAt = now,
        Deadline = deadline,
        Status = ChallengeStatus.Open,
    };

    public void Pass(DateTimeOffset now) => Close(ChallengeStatus.Passed, "the chunk and its path lead to the committed root", now);

    public void Fail(string why, DateTimeOffset now) => Close(ChallengeStatus.Failed, why, now);

    public void Miss(DateTimeOffset now) => Close(ChallengeStatus.Missed, $"not answered by the deadline {Deadline:O}", null);

    public void Slashed(Guid slashId) => SlashId = slashId;

    private void Close(ChallengeStatus status, string detail, DateTimeOffset? answeredAt)
    {
        if (Status != ChallengeStatus.Open)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Challenge already closed.", $"Challenge {Id} is {Status.ToString().ToLowerInvariant()}; it can be answered once.");
        }
        Status = status;
        Detail = detail;
        AnsweredAt = answeredAt;
    }
}
