using System.Security.Claims;
using System.Text.Json;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Nodes;
using DepinMarket.Api.Features.Rentals;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Crypto;
using DepinMarket.Domain;
using DepinMarket.Domain.Rentals;
using DepinMarket.Domain.StorageProofs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.StorageProofs;

/// <summary>
/// The renter commits to its data; the rental's parties read the challenge record; the node lists its open challenges
/// and answers them with its own token. An answer is checked against the committed root at once: passed, or failed
/// (recorded and slashed). A malformed answer (bad base64, a nonce of another challenge) is a 400 and changes nothing.
/// </summary>
public static class StorageProofEndpoints
{
    /// <summary>2^31 chunks need 31 siblings; anything longer cannot be a path of a commitment we accept.</summary>
    private const int MaxProofLength = 32;

    public static WebApplication MapStorageProofEndpoints(this WebApplication app)
    {
        var rentals = app.MapGroup("/v1/rentals/{id:guid}").WithTags("Storage proofs");
        rentals.MapPut("/commitment", Commit).RequireAuthorization(Policies.Client).AcceptsQuery().WithName("CommitRentalData")
            .WithSummary("Commit a storage rental to its data (Merkle root and chunk count): the node serving it is then challenged at random times")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        rentals.MapGet("/commitment", GetCommitment).RequireAuthorization(Policies.Read).AcceptsQuery().WithName("GetRentalCommitment")
            .WithSummary("A storage rental's data commitment")
            .ProducesProblem(StatusCodes.Status404NotFound);
        rentals.MapGet("/challenges", History).RequireAuthorization(Policies.Read).AcceptsQuery().WithName("ListRentalChallenges")
            .WithSummary("The storage challenges of a rental, newest first (at most 100), with outcomes and slashes")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var node = app.MapGroup("/v1/nodes/{id:guid}/challenges").WithTags("Storage proofs");
        node.MapGet("/", Open).AllowAnonymous().AcceptsQuery().WithName("ListNodeChallenges")
            .WithSummary("The node's open storage challenges (Authorization: Bearer <node token>); heartbeat answers list them too")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        node.MapPost("/{challengeId:guid}/answer", Answer).AllowAnonymous().AcceptsQuery().WithName("AnswerChallenge")
            .WithSummary("Answer a challenge with the chunk (base64) and its Merkle path (Authorization: Bearer <node token>)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    internal static async Task<Ok<CommitmentResponse>> Commit(Guid id, CommitmentRequest body, ClaimsPrincipal user, MarketDbContext db,
        StorageChallenger challenger, TimeProvider clock, CancellationToken cancellationToken)
    {
        var root = StorageHex.Parse32(body.MerkleRoot, "merkleRoot");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rental = await RentalStore.LockAsync(db, id, user.AccountIdOf(), RentalSide.Client, "commit the data of", cancellationToken);
        if (rental.Kind != RentalKind.Storage)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Not a storage rental.", $"Rental {id} is a {rental.Kind.ToString().ToLowerInvariant()} rental; only storage holds data to prove.");
        }
        if (!rental.IsOpen || rental.NodeId is null)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Nothing to challenge.", rental.IsOpen
                ? $"Rental {id}'s offer names no node, so there is no machine to challenge; rent a storage offer served by a node."
                : $"Rental {id} is {rental.Status.ToString().ToLowerInvariant()}.");
        }
        var capacityChunks = rental.Quantity * 1_000_000_000L / StorageCommitment.StandardChunkSize;
        if (body.ChunkCount < 1 || body.ChunkCount > capacityChunks)
        {
            throw ValidationFailedException.For("chunkCount", $"must be from 1 to {Math.Min(capacityChunks, int.MaxValue)} (the rental's {rental.Quantity} GB in 4096-byte chunks); got {body.ChunkCount}.");
        }
        if (await db.Set<StorageCommitment>().AnyAsync(c => c.RentalId == id, cancellationToken))
        {
            throw new DomainException(DomainErrorKind.Conflict, "Already committed.", $"Rental {id} is committed to its data already; a commitment is made once.");
        }
        var now = clock.Now();
        var commitment = StorageCommitment.Commit(id, root, body.ChunkCount, now + challenger.NextWait(), now);
        db.Add(commitment);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(CommitmentResponse.From(commitment));
    }

    internal static async Task<Ok<CommitmentResponse>> GetCommitment(Guid id, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        await RentalStore.ReadAsync(db, id, user.AccountIdOf(), cancellationToken);
        var commitment = await db.Set<StorageCommitment>().AsNoTracking().SingleOrDefaultAsync(c => c.RentalId == id, cancellationToken)
            ?? throw new DomainException(DomainErrorKind.NotFound, "No commitment.", $"Rental {id} has no data commitment; its renter sets one with PUT.");
        return TypedResults.Ok(CommitmentResponse.From(commitment));
    }

    internal static async Task<Ok<ChallengeHistory>> History(Guid id, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        await RentalStore.ReadAsync(db, id, user.AccountIdOf(), cancellationToken);
        var challenges = await db.Set<StorageChallenge>().AsNoTracking().Where(c => c.RentalId == id)
            .OrderByDescending(c => c.IssuedAt).ThenByDescending(c => c.Id).Take(100).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ChallengeHistory(challenges.Select(ChallengeRecordResponse.From).ToArray()));
    }

    internal static async Task<Ok<ChallengeList>> Open(Guid id, HttpRequest request, NodeCredentials credentials, MarketDbContext db, CancellationToken cancellationToken)
    {
        await credentials.CheckAsync(id, NodeTokenHeader.Require(request), cancellationToken);
        var open = await db.Set<StorageChallenge>().AsNoTracking().Where(c => c.NodeId == id && c.Status == ChallengeStatus.Open)
            .Join(db.Set<StorageCommitment>(), c => c.RentalId, k => k.RentalId, (c, k) => new { Challenge = c, Commitment = k })
            .OrderBy(x => x.Challenge.Deadline).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ChallengeList(open.Select(x => ToNode(x.Challenge, x.Commitment)).ToArray()));
    }

    internal static async Task<Ok<ChallengeOutcomeResponse>> Answer(Guid id, Guid challengeId, ChallengeAnswerRequest body, HttpRequest request,
        NodeCredentials credentials, MarketDbContext db, StorageProofFaults faults, TimeProvider clock, CancellationToken cancellationToken)
    {
        await credentials.CheckAsync(id, NodeTokenHeader.Require(request), cancellationToken);
        var (chunk, proof) = Read(body);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var challenge = (await db.Set<StorageChallenge>().FromSql($"select * from storage_challenges where id = {challengeId} and node_id = {id} for update")
                .ToListAsync(cancellationToken)).SingleOrDefault()
            ?? throw new DomainException(DomainErrorKind.NotFound, "Challenge not found.", $"Node {id} has no challenge {challengeId}.");
        var now = clock.Now();
        if (challenge.Status != ChallengeStatus.Open)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Challenge already closed.", $"Challenge {challengeId} is {challenge.Status.ToString().ToLowerInvariant()}: {challenge.Detail}");
        }
        if (now > challenge.Deadline)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Too late.", $"Challenge {challengeId} had to be answered by {challenge.Deadline:O}; it counts as missed.");
        }
        if (!StorageHex.Parse32(body.Nonce, "nonce").AsSpan().SequenceEqual(challenge.Nonce))
        {
            throw ValidationFailedException.For("nonce", $"is not challenge {challengeId}'s nonce; answer each challenge with its own.");
        }
        var commitment = await db.Set<StorageCommitment>().SingleAsync(c => c.RentalId == challenge.RentalId, cancellationToken);
        if (StorageMerkleTree.Verify(commitment.MerkleRoot, commitment.ChunkCount, challenge.ChunkIndex, StorageMerkleTree.LeafOf(chunk), proof))
        {
            challenge.Pass(now);
        }
        else
        {
            challenge.Fail($"chunk {challenge.ChunkIndex} and the path sent do not lead to the committed root", now);
            var rental = await db.Rentals.SingleAsync(r => r.Id == challenge.RentalId, cancellationToken);
            await faults.SlashAsync(db, challenge, rental, commitment, now, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(new ChallengeOutcomeResponse(challenge.Id, challenge.Status, challenge.Detail));
    }

    /// <summary>The challenge as its node reads it (in heartbeat answers too, where PostgreSQL builds the same shape).</summary>
    internal static StorageChallengeResponse ToNode(StorageChallenge c, StorageCommitment k) =>
        new(c.Id, c.RentalId, StorageHex.Of(k.MerkleRoot), k.ChunkCount, k.ChunkSize, c.ChunkIndex, StorageHex.Of(c.Nonce), c.Deadline);

    private static (byte[] Chunk, IReadOnlyList<byte[]> Proof) Read(ChallengeAnswerRequest body)
    {
        var chunk = new byte[StorageCommitment.StandardChunkSize];
        if (body.Chunk is null || !Convert.TryFromBase64String(body.Chunk, chunk, out var length) || length == 0)
        {
            throw ValidationFailedException.For("chunk", $"must be the chunk's bytes in base64, 1 to {StorageCommitment.StandardChunkSize} bytes.");
        }
        if (body.Proof is null || body.Proof.Count > MaxProofLength)
        {
            throw ValidationFailedException.For("proof", $"must list the sibling hashes from the leaf up, at most {MaxProofLength}.");
        }
        return (chunk[..length], body.Proof.Select((p, i) => StorageHex.Parse32(p, $"proof[{i}]")).ToArray());
    }
}
