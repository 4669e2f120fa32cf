using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Agent.Tests;

public sealed class ChallengeResponderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agent-storage-").FullName;

    private readonly Guid _rental = Guid.NewGuid();

    private readonly byte[] _data = new byte[(3 * 4096) + 5];

    public ChallengeResponderTests()
    {
        new Random(3).NextBytes(_data);
        File.WriteAllBytes(ChallengeResponder.FileFor(_folder, _rental), _data);
    }

    [Fact]
    public void The_answer_to_a_challenge_on_the_rentals_file_verifies()
    {
        var challenge = ChallengeOn(_data, chunkIndex: 3);

        var (answer, reason) = Responder(_folder).Prove(challenge);

        Assert.True(answer is not null, reason);
        var chunk = Convert.FromBase64String(answer.Chunk);
        Assert.Equal(challenge.Nonce, answer.Nonce);
        Assert.True(StorageMerkleTree.Verify(challenge.MerkleRoot.HexToByteArray(), 4, 3, StorageMerkleTree.LeafOf(chunk), [.. answer.Proof.Select(p => p.HexToByteArray())]));
    }

    [Fact]
    public void A_file_with_other_content_is_not_answered()
    {
        var other = (byte[])_data.Clone();
        other[100] ^= 1;

        var (answer, reason) = Responder(_folder).Prove(ChallengeOn(other, chunkIndex: 0));

        Assert.Null(answer);
        Assert.Contains("commits to", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rental_without_a_file_is_not_answered()
    {
        var (answer, reason) = Responder(_folder).Prove(ChallengeOn(_data, chunkIndex: 0) with { RentalId = Guid.NewGuid() });

        Assert.Null(answer);
        Assert.Contains("no file", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_storage_dir_nothing_is_answered()
    {
        var (answer, reason) = Responder(null).Prove(ChallengeOn(_data, chunkIndex: 0));

        Assert.Null(answer);
        Assert.Contains("--storage-dir", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_changed_after_its_tree_was_built_gets_a_new_tree()
    {
        var prover = new StorageProver();
        var path = ChallengeResponder.FileFor(_folder, _rental);
        var before = prover.TreeOf(path).Root;
        File.WriteAllBytes(path, [.. _data, 1, 2, 3]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));

        var after = prover.TreeOf(path).Root;

        Assert.NotEqual(before, after);
        Assert.Equal(StorageMerkleTree.Build([.. _data, 1, 2, 3]).Root, after);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private StorageChallenge ChallengeOn(byte[] committed, int chunkIndex)
    {
        var tree = StorageMerkleTree.Build(committed);
        return new StorageChallenge(Guid.NewGuid(), _rental, tree.Root.ToHex(prefix: true), tree.ChunkCount, 4096, chunkIndex,
            "0x" + new string('7', 64), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    private static ChallengeResponder Responder(string? folder)
    {
        var http = new HttpClient();
        return new ChallengeResponder(folder, new StorageProver(), new NodeApiClient(http), new AgentLog(TextWriter.Null, false, TimeProvider.System));
    }
}
