using System.Buffers;
using System.Security.Cryptography;

namespace DepinMarket.Chain.Crypto;

/// <summary>
/// The Merkle commitment a storage rental is checked against (docs: node API contract, "Storage commitment").
/// The data is cut into <see cref="ChunkSize"/>-byte chunks (the last may be shorter, never padded);
/// leaf = keccak256(chunk); parent = keccak256(left ‖ right) with no sorting; an odd node at the end of a level is
/// carried up unchanged. Keccak-256 rather than SHA-256 so that a contract could verify a proof on chain cheaply.
/// <para>
/// Every level is kept (about twice the leaf hashes, 32 bytes per chunk in all: 0.8% of the data), so a proof is a
/// lookup. The data itself is never held: <see cref="Build(Stream,int)"/> reads one chunk at a time.
/// </para>
/// </summary>
public sealed class StorageMerkleTree
{
    /// <summary>The chunk size the contract fixes for rentals.</summary>
    public const int DefaultChunkSize = 4096;

    /// <summary>Bytes in one Keccak-256 hash: every leaf, node and proof element.</summary>
    public const int HashSize = 32;

    /// <summary>
    /// The most chunks one tree holds: a level is one flat array, so the leaf level must fit in one .NET array
    /// (about 67 million chunks, 274 GB at 4096-byte chunks).
    /// </summary>
    public static readonly int MaxChunkCount = Array.MaxLength / HashSize;

    // levels[0] holds the leaves, levels[^1] the root; each is count * HashSize bytes, hashes back to back.
    private readonly byte[][] _levels;

    private StorageMerkleTree(int chunkSize, byte[] leaves)
    {
        ChunkSize = chunkSize;
        ChunkCount = leaves.Length / HashSize;
        _levels = BuildLevels(leaves);
    }

    public int ChunkSize { get; }

    public int ChunkCount { get; }

    /// <summary>The commitment: the single node of the top level (a copy; the tree stays immutable).</summary>
    public byte[] Root => _levels[^1].ToArray();

    /// <summary>
    /// Builds the tree by reading <paramref name="data"/> to its end one chunk at a time; only the hashes are kept.
    /// Throws <see cref="ArgumentException"/> for empty data: the contract requires at least one chunk.
    /// </summary>
    public static StorageMerkleTree Build(Stream data, int chunkSize = DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        var leaves = new ArrayBufferWriter<byte>();
        var chunk = new byte[chunkSize];
        int read;
        while ((read = data.ReadAtLeast(chunk, chunkSize, throwOnEndOfStream: false)) > 0)
        {
            if (leaves.WrittenCount / HashSize >= MaxChunkCount)
            {
                throw new ArgumentException($"The data has more than {MaxChunkCount} chunks of {chunkSize} bytes, the most one tree holds.", nameof(data));
            }
            leaves.Write(LeafOf(chunk.AsSpan(0, read)));
            if (read < chunkSize)
            {
                break;
            }
        }
        if (leaves.WrittenCount == 0)
        {
            throw new ArgumentException("The data is empty; a storage commitment needs at least one chunk.", nameof(data));
        }
        return new StorageMerkleTree(chunkSize, leaves.WrittenSpan.ToArray());
    }

    /// <summary>Builds the tree of data already in memory (same rules as <see cref="Build(Stream,int)"/>).</summary>
    public static StorageMerkleTree Build(byte[] data, int chunkSize = DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var stream = new MemoryStream(data, writable: false);
        return Build(stream, chunkSize);
    }

    /// <summary>The leaf of one chunk: keccak256 of its bytes exactly as stored (the last chunk unpadded).</summary>
    public static byte[] LeafOf(ReadOnlySpan<byte> chunk) => Sha3Keccack.Hash(chunk);

    /// <summary>The leaf hash of chunk <paramref name="index"/>.</summary>
    public byte[] LeafHash(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ChunkCount);
        return NodeAt(_levels[0], index).ToArray();
    }

    /// <summary>
    /// The sibling hashes from the leaf level up, leaving out the levels where the node was carried up without one.
    /// </summary>
    public IReadOnlyList<byte[]> Proof(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ChunkCount);
        var proof = new List<byte[]>();
        for (var level = 0; level < _levels.Length - 1; level++)
        {
            var count = _levels[level].Length / HashSize;
            var sibling = index ^ 1;
            if (sibling < count)
            {
                proof.Add(NodeAt(_levels[level], sibling).ToArray());
            }
            index /= 2;
        }
        return proof;
    }

    /// <summary>
    /// True when <paramref name="leafHash"/> at <paramref name="index"/> of a tree of <paramref name="chunkCount"/>
    /// chunks leads through <paramref name="proof"/> to <paramref name="root"/>. The shape of the tree follows from
    /// the chunk count alone, so the proof must have exactly the siblings that shape needs, in order: a longer or
    /// shorter proof, an index outside the tree or a hash that is not 32 bytes is false, never an exception.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> root, int chunkCount, int index, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (root.Length != HashSize || leafHash.Length != HashSize || chunkCount < 1 || index < 0 || index >= chunkCount)
        {
            return false;
        }
        Span<byte> node = stackalloc byte[HashSize];
        leafHash.CopyTo(node);
        var used = 0;
        for (var count = chunkCount; count > 1; count = (count + 1) / 2, index /= 2)
        {
            var isRight = index % 2 == 1;
            if (!isRight && index + 1 >= count)
            {
                continue; // the odd node at the end of this level is carried up unchanged
            }
            if (used >= proof.Count || proof[used] is not { Length: HashSize } sibling)
            {
                return false;
            }
            used++;
            var parent = isRight ? Parent(sibling, node) : Parent(node, sibling);
            parent.CopyTo(node);
        }
        return used == proof.Count && CryptographicOperations.FixedTimeEquals(node, root);
    }

    private static byte[][] BuildLevels(byte[] leaves)
    {
        var levels = new List<byte[]> { leaves };
        while (levels[^1].Length > HashSize)
        {
            var below = levels[^1];
            var count = below.Length / HashSize;
            var above = new byte[(count + 1) / 2 * HashSize];
            for (var i = 0; i < count; i += 2)
            {
                var parent = i + 1 < count ? Parent(NodeAt(below, i), NodeAt(below, i + 1)) : NodeAt(below, i);
                parent.CopyTo(above.AsSpan(i / 2 * HashSize));
            }
            levels.Add(above);
        }
        return [.. levels];
    }

    private static ReadOnlySpan<byte> NodeAt(byte[] level, int index) => level.AsSpan(index * HashSize, HashSize);

    private static ReadOnlySpan<byte> Parent(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> pair = stackalloc byte[2 * HashSize];
        left.CopyTo(pair);
        right.CopyTo(pair[HashSize..]);
        return Sha3Keccack.Hash(pair);
    }
}
