using System.Collections.Concurrent;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Agent;

/// <summary>
/// Commitments and challenge answers for files on disk. The Merkle tree of a file is built once (reading the file
/// through once) and kept while the file's length and modification time stay the same; an answer then costs one
/// chunk read. A tree holds about 64 bytes per 4096-byte chunk (1.6% of the data) in memory.
/// </summary>
public sealed class StorageProver
{
    private const int MaxBuildAttempts = 3;

    private readonly ConcurrentDictionary<(string Path, int ChunkSize), Lazy<(FileStamp Stamp, StorageMerkleTree Tree)>> _trees = new();

    /// <summary>The file's tree, built on first use and again after the file changed.</summary>
    public StorageMerkleTree TreeOf(string path, int chunkSize = StorageMerkleTree.DefaultChunkSize)
    {
        var key = (Path.GetFullPath(path), chunkSize);
        for (var attempt = 1; ; attempt++)
        {
            var stamp = FileStamp.Of(key.Item1);
            var cached = _trees.GetOrAdd(key, k => new Lazy<(FileStamp, StorageMerkleTree)>(() => Build(k.Path, k.ChunkSize)));
            try
            {
                var (builtFrom, tree) = cached.Value;
                if (builtFrom == stamp)
                {
                    return tree;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                _trees.TryRemove(KeyValuePair.Create(key, cached));
                throw;
            }
            _trees.TryRemove(KeyValuePair.Create(key, cached));
            if (attempt == MaxBuildAttempts)
            {
                throw new IOException($"{path} kept changing while its Merkle tree was built; answer once it is still.");
            }
        }
    }

    public StorageCommitment Commit(string path, int chunkSize = StorageMerkleTree.DefaultChunkSize)
    {
        var tree = TreeOf(path, chunkSize);
        return new StorageCommitment(tree.Root.ToHex(prefix: true), tree.ChunkCount, chunkSize);
    }

    /// <summary>The answer for chunk <paramref name="index"/>: its bytes and the siblings that lead to the root.</summary>
    public ChallengeAnswer Prove(string path, int index, string? nonce, int chunkSize = StorageMerkleTree.DefaultChunkSize)
    {
        var tree = TreeOf(path, chunkSize);
        if (index < 0 || index >= tree.ChunkCount)
        {
            throw new ArgumentException($"Chunk {index} does not exist: {path} has {tree.ChunkCount} chunks of {chunkSize} bytes, numbered from 0.");
        }
        var chunk = ReadChunk(path, index, chunkSize);
        return new ChallengeAnswer(nonce, Convert.ToBase64String(chunk), [.. tree.Proof(index).Select(p => p.ToHex(prefix: true))]);
    }

    /// <summary>Chunk <paramref name="index"/> as stored: <paramref name="chunkSize"/> bytes, fewer for the last.</summary>
    public static byte[] ReadChunk(string path, int index, int chunkSize)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var offset = (long)index * chunkSize;
        var length = RandomAccess.GetLength(handle);
        var chunk = new byte[Math.Clamp(length - offset, 0, chunkSize)];
        var read = 0;
        while (read < chunk.Length)
        {
            var n = RandomAccess.Read(handle, chunk.AsSpan(read), offset + read);
            read += n > 0 ? n : throw new IOException($"{path} ended while chunk {index} was read; it changed under the agent.");
        }
        return chunk;
    }

    private static (FileStamp, StorageMerkleTree) Build(string path, int chunkSize)
    {
        var stamp = FileStamp.Of(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return (stamp, StorageMerkleTree.Build(stream, chunkSize));
    }

    private readonly record struct FileStamp(long Length, DateTime WrittenUtc)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc) : throw new FileNotFoundException($"{path} does not exist.", path);
        }
    }
}
