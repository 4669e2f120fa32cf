using DepinMarket.Chain.Crypto;

namespace DepinMarket.Chain.Tests.Crypto;

public class StorageMerkleTreeTests
{
    private const int Chunk = StorageMerkleTree.DefaultChunkSize;

    public static TheoryData<int> ChunkCounts => [1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 33];

    [Fact]
    public void One_chunk_root_is_its_leaf_and_its_proof_is_empty()
    {
        var data = Data(100);

        var tree = StorageMerkleTree.Build(data);

        Assert.Equal(1, tree.ChunkCount);
        Assert.Equal(Keccak(data), tree.Root);
        Assert.Empty(tree.Proof(0));
    }

    [Fact]
    public void Two_chunks_root_hashes_the_leaves_left_then_right_and_each_proof_is_the_other_leaf()
    {
        var data = Data(2 * Chunk);
        var left = Keccak(data[..Chunk]);
        var right = Keccak(data[Chunk..]);

        var tree = StorageMerkleTree.Build(data);

        Assert.Equal(Keccak([.. left, .. right]), tree.Root);
        Assert.Equal([right], tree.Proof(0));
        Assert.Equal([left], tree.Proof(1));
    }

    [Fact]
    public void Three_chunks_carry_the_third_leaf_up_unpaired_so_its_proof_has_one_sibling()
    {
        var data = Data(3 * Chunk);
        var leaves = Enumerable.Range(0, 3).Select(i => Keccak(data.AsSpan(i * Chunk, Chunk).ToArray())).ToArray();
        var pair = Keccak([.. leaves[0], .. leaves[1]]);

        var tree = StorageMerkleTree.Build(data);

        Assert.Equal(Keccak([.. pair, .. leaves[2]]), tree.Root);
        Assert.Equal([pair], tree.Proof(2));
        Assert.Equal([leaves[1], leaves[2]], tree.Proof(0));
    }

    [Theory]
    [MemberData(nameof(ChunkCounts))]
    public void Every_index_verifies_against_the_root(int chunkCount)
    {
        var tree = StorageMerkleTree.Build(Data(chunkCount * Chunk));

        for (var index = 0; index < chunkCount; index++)
        {
            Assert.True(StorageMerkleTree.Verify(tree.Root, chunkCount, index, tree.LeafHash(index), tree.Proof(index)), $"index {index}");
        }
    }

    [Fact]
    public void A_short_last_chunk_counts_as_a_chunk_and_is_hashed_unpadded()
    {
        var data = Data((2 * Chunk) + 10);

        var tree = StorageMerkleTree.Build(data);

        Assert.Equal(3, tree.ChunkCount);
        Assert.Equal(Keccak(data[(2 * Chunk)..]), tree.LeafHash(2));
        Assert.True(StorageMerkleTree.Verify(tree.Root, 3, 2, StorageMerkleTree.LeafOf(data.AsSpan(2 * Chunk)), tree.Proof(2)));
    }

    [Fact]
    public void A_stream_that_returns_a_few_bytes_per_read_gives_the_same_tree_as_the_bytes()
    {
        var data = Data((5 * Chunk) - 7);

        var fromStream = StorageMerkleTree.Build(new TrickleStream(data, 1000));

        Assert.Equal(StorageMerkleTree.Build(data).Root, fromStream.Root);
        Assert.Equal(5, fromStream.ChunkCount);
    }

    [Fact]
    public void A_chunk_size_other_than_the_default_cuts_the_data_by_it()
    {
        var tree = StorageMerkleTree.Build(Data(100), chunkSize: 32);

        Assert.Equal(4, tree.ChunkCount);
        Assert.Equal(32, tree.ChunkSize);
    }

    [Fact]
    public void Empty_data_is_refused_because_a_commitment_needs_one_chunk()
    {
        Assert.Throws<ArgumentException>(() => StorageMerkleTree.Build([]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4095)]
    [InlineData(4096 * 6)]
    public void A_flipped_bit_in_the_chunk_fails(int bitInFile)
    {
        var data = Data(7 * Chunk);
        var tree = StorageMerkleTree.Build(data);
        var index = bitInFile / Chunk;
        var chunk = data.AsSpan(index * Chunk, Chunk).ToArray();
        chunk[bitInFile % Chunk] ^= 0x01;

        Assert.False(StorageMerkleTree.Verify(tree.Root, 7, index, StorageMerkleTree.LeafOf(chunk), tree.Proof(index)));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 1)]
    [InlineData(6, 0)]
    public void A_flipped_bit_in_a_proof_element_fails(int index, int element)
    {
        var tree = StorageMerkleTree.Build(Data(7 * Chunk));
        var proof = tree.Proof(index).Select(p => p.ToArray()).ToList();
        proof[element][31] ^= 0x80;

        Assert.False(StorageMerkleTree.Verify(tree.Root, 7, index, tree.LeafHash(index), proof));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 3)]
    [InlineData(4, 5)]
    public void The_right_chunk_and_proof_under_a_flipped_index_bit_fail(int index, int claimedIndex)
    {
        var tree = StorageMerkleTree.Build(Data(7 * Chunk));

        Assert.False(StorageMerkleTree.Verify(tree.Root, 7, claimedIndex, tree.LeafHash(index), tree.Proof(index)));
    }

    [Fact]
    public void A_flipped_bit_in_the_root_fails()
    {
        var tree = StorageMerkleTree.Build(Data(5 * Chunk));
        var root = tree.Root;
        root[0] ^= 0x01;

        Assert.False(StorageMerkleTree.Verify(root, 5, 2, tree.LeafHash(2), tree.Proof(2)));
    }

    [Fact]
    public void A_proof_with_an_extra_element_fails()
    {
        var tree = StorageMerkleTree.Build(Data(5 * Chunk));
        var proof = tree.Proof(1).Append(new byte[32]).ToList();

        Assert.False(StorageMerkleTree.Verify(tree.Root, 5, 1, tree.LeafHash(1), proof));
    }

    [Fact]
    public void A_proof_missing_its_last_element_fails()
    {
        var tree = StorageMerkleTree.Build(Data(5 * Chunk));
        var proof = tree.Proof(1).SkipLast(1).ToList();

        Assert.False(StorageMerkleTree.Verify(tree.Root, 5, 1, tree.LeafHash(1), proof));
    }

    [Fact]
    public void A_proof_element_that_is_not_32_bytes_fails()
    {
        var tree = StorageMerkleTree.Build(Data(2 * Chunk));
        var proof = new List<byte[]> { tree.Proof(0)[0][..31] };

        Assert.False(StorageMerkleTree.Verify(tree.Root, 2, 0, tree.LeafHash(0), proof));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(-1)]
    public void An_index_outside_the_tree_fails(int index)
    {
        var tree = StorageMerkleTree.Build(Data(5 * Chunk));

        Assert.False(StorageMerkleTree.Verify(tree.Root, 5, index, tree.LeafHash(4), tree.Proof(4)));
    }

    [Fact]
    public void Asking_for_a_proof_outside_the_tree_throws()
    {
        var tree = StorageMerkleTree.Build(Data(3 * Chunk));

        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Proof(3));
    }

    private static byte[] Keccak(byte[] data) => Sha3Keccack.Hash(data);

    private static byte[] Data(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }

    /// <summary>Hands out at most a few bytes per read, as a network or pipe stream may.</summary>
    private sealed class TrickleStream(byte[] data, int mostPerRead) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, mostPerRead));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, mostPerRead)]);
    }
}
