using System.Text.Json;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Stakes;
using DepinMarket.Domain.Rentals;
using DepinMarket.Domain.Stakes;
using DepinMarket.Domain.StorageProofs;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.StorageProofs;

/// <summary>A failed or missed challenge slashes the provider (Stakes:StorageProofSlash), split between the renter and burn, with the challenge as evidence.</summary>
public sealed class StorageProofFaults(Slasher slasher, IOptions<StakeOptions> stakes)
{
    public async Task SlashAsync(MarketDbContext db, StorageChallenge challenge, Rental rental, StorageCommitment commitment, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var evidence = JsonSerializer.Serialize(new
        {
            challengeId = challenge.Id, rentalId = rental.Id, nodeId = challenge.NodeId, chunkIndex = challenge.ChunkIndex,
            chunkCount = commitment.ChunkCount, merkleRoot = StorageHex.Of(commitment.MerkleRoot), status = challenge.Status.ToString().ToLowerInvariant(),
            challenge.Detail, challenge.IssuedAt, challenge.Deadline,
        });
        var slash = await slasher.SlashAsync(db, rental.ProviderId, SlashReason.StorageProof, $"storage-proof:{challenge.Id}", evidence,
            rental.Id, rental.ClientId, stakes.Value.StorageProofSlashAmount, now, cancellationToken);
        if (slash is not null)
        {
            challenge.Slashed(slash.Id);
        }
    }
}
