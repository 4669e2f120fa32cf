using System.Text.Json;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Tests.Crypto;

/// <summary>
/// Roots and proofs made by merkle-vectors.mjs beside this file, with ethers.js 6's keccak256 (an independent
/// implementation), for inputs both sides regenerate with xorshift32. Re-run the script when the rules change.
/// </summary>
public class StorageMerkleTreeVectorTests
{
    private static readonly Lazy<JsonElement[]> Vectors = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Crypto", "merkle-vectors.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone())];
    });

    public static TheoryData<string, int> Cases
    {
        get
        {
            var data = new TheoryData<string, int>();
            for (var i = 0; i < Vectors.Value.Length; i++)
            {
                var vector = Vectors.Value[i];
                data.Add($"{vector.GetProperty("length").GetInt32()} bytes in chunks of {vector.GetProperty("chunkSize").GetInt32()}", i);
            }
            return data;
        }
    }

    [Fact]
    public void The_fixture_holds_the_cases_the_script_makes()
    {
        Assert.Equal(27, Vectors.Value.Length);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Root_chunk_count_leaves_and_proofs_match_ethers(string name, int index)
    {
        _ = name;
        var vector = Vectors.Value[index];
        var data = Xorshift32Bytes(vector.GetProperty("length").GetInt32(), vector.GetProperty("seed").GetUInt32());

        var tree = StorageMerkleTree.Build(data, vector.GetProperty("chunkSize").GetInt32());

        Assert.Equal(vector.GetProperty("chunkCount").GetInt32(), tree.ChunkCount);
        Assert.Equal(vector.GetProperty("root").GetString(), tree.Root.ToHex(prefix: true));
        foreach (var expected in vector.GetProperty("proofs").EnumerateArray())
        {
            var chunk = expected.GetProperty("index").GetInt32();
            var proof = expected.GetProperty("proof").EnumerateArray().Select(p => p.GetString()!).ToArray();
            Assert.Equal(expected.GetProperty("leaf").GetString(), tree.LeafHash(chunk).ToHex(prefix: true));
            Assert.Equal(proof, tree.Proof(chunk).Select(p => p.ToHex(prefix: true)));
            Assert.True(StorageMerkleTree.Verify(tree.Root, tree.ChunkCount, chunk, tree.LeafHash(chunk), [.. proof.Select(p => p.HexToByteArray())]));
        }
    }

    /// <summary>The script's generator: the low byte of each xorshift32 state.</summary>
    private static byte[] Xorshift32Bytes(int length, uint seed)
    {
        var bytes = new byte[length];
        var x = seed;
        for (var i = 0; i < length; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            bytes[i] = (byte)x;
        }
        return bytes;
    }
}
