using System.Collections.Concurrent;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Agent;

/// <summary>
/// Answers the storage challenges a heartbeat lists, from the files in --storage-dir (one per rental, named by the
/// rental id). A challenge is answered once: it is remembered while the API still lists it, so the next heartbeat
/// does not send it again, except after a transient failure, which is tried again. A challenge the file cannot
/// pass (no file, another root, another chunk count) is not answered and says why in the log: sending a proof
/// that must fail would only tell the API sooner what the deadline will tell it anyway.
/// </summary>
public sealed class ChallengeResponder(string? storageDirectory, StorageProver prover, NodeApiClient api, AgentLog log)
{
    private readonly ConcurrentDictionary<Guid, bool> _handled = new();

    public async Task AnswerAsync(NodeEntry node, IReadOnlyList<StorageChallenge> challenges, CancellationToken cancellationToken)
    {
        var listed = challenges.Select(c => c.Id).ToHashSet();
        foreach (var gone in _handled.Keys.Where(id => !listed.Contains(id)))
        {
            _handled.TryRemove(gone, out _);
        }
        foreach (var challenge in challenges.Where(c => _handled.TryAdd(c.Id, true)))
        {
            await AnswerOneAsync(node, challenge, cancellationToken);
        }
    }

    private async Task AnswerOneAsync(NodeEntry node, StorageChallenge challenge, CancellationToken cancellationToken)
    {
        var about = $"challenge {challenge.Id} (rental {challenge.RentalId}, chunk {challenge.ChunkIndex})";
        var (answer, reason) = await Task.Run(() => Prove(challenge), cancellationToken);
        if (answer is null)
        {
            log.Info(node.Name, $"{about} not answered: {reason}");
            return;
        }
        var result = await api.AnswerAsync(node, challenge.Id, answer, cancellationToken);
        switch (result.Outcome)
        {
            case ApiOutcome.Ok when result.Value!.Outcome == "passed":
                log.Verbose(node.Name, $"{about} passed");
                break;
            case ApiOutcome.Ok:
                log.Info(node.Name, $"{about} {result.Value!.Outcome}: {result.Value.Detail}");
                break;
            case ApiOutcome.Transient:
                _handled.TryRemove(challenge.Id, out _);
                log.Info(node.Name, $"{about}: answer not delivered ({result.Failure}); trying again after the next heartbeat");
                break;
            default:
                log.Info(node.Name, $"{about}: answer refused: {result.Problem}");
                break;
        }
    }

    /// <summary>The answer, or why this node cannot give one that passes.</summary>
    public (ChallengeAnswer? Answer, string? Reason) Prove(StorageChallenge challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        if (storageDirectory is null)
        {
            return (null, "the agent runs without --storage-dir");
        }
        var path = FileFor(storageDirectory, challenge.RentalId);
        if (!File.Exists(path))
        {
            return (null, $"there is no file {path}");
        }
        if (challenge.ChunkSize < 1)
        {
            return (null, $"the challenge's chunk size {challenge.ChunkSize} is not positive");
        }
        try
        {
            var tree = prover.TreeOf(path, challenge.ChunkSize);
            var root = tree.Root.ToHex(prefix: true);
            if (!string.Equals(root, challenge.MerkleRoot, StringComparison.OrdinalIgnoreCase) || tree.ChunkCount != challenge.ChunkCount)
            {
                return (null, $"{path} commits to {root} in {tree.ChunkCount} chunks, the rental to {challenge.MerkleRoot} in {challenge.ChunkCount}");
            }
            return (prover.Prove(path, challenge.ChunkIndex, challenge.Nonce, challenge.ChunkSize), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>Where the data of <paramref name="rentalId"/> lives: a file named by the id, lower-case with dashes.</summary>
    public static string FileFor(string storageDirectory, Guid rentalId) => Path.Combine(storageDirectory, rentalId.ToString("D"));
}
