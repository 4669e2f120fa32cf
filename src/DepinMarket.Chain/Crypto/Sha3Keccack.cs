using System.Diagnostics.CodeAnalysis;
using System.Text;
using DepinMarket.Chain.Hex;
using Org.BouncyCastle.Crypto.Digests;

namespace DepinMarket.Chain.Crypto;

/// <summary>
/// Keccak-256 as Ethereum uses it (the original Keccak padding, not NIST SHA3-256).
/// Named and shaped like Nethereum's <c>Sha3Keccack</c> (its spelling included) so call sites port unchanged.
/// </summary>
[SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Instance methods keep Nethereum's call shape (X.Current.Method) so swapping Nethereum in is mechanical.")]
public sealed class Sha3Keccack
{
    /// <summary>Shared instance; the type holds no state so it is safe to share across threads.</summary>
    public static Sha3Keccack Current { get; } = new();

    /// <summary>Keccak-256 of <paramref name="data"/>, 32 bytes.</summary>
    public byte[] CalculateHash(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Hash(data);
    }

    /// <summary>Keccak-256 of the UTF-8 bytes of <paramref name="value"/>, as lower-case hex without prefix (Nethereum's contract).</summary>
    public string CalculateHash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Hash(Encoding.UTF8.GetBytes(value)).ToHex();
    }

    /// <summary>Keccak-256 of the concatenation of hex strings, as lower-case hex without prefix.</summary>
    public string CalculateHashFromHex(params string[] hexValues)
    {
        ArgumentNullException.ThrowIfNull(hexValues);
        var bytes = hexValues.SelectMany(h => h.HexToByteArray()).ToArray();
        return Hash(bytes).ToHex();
    }

    /// <summary>Keccak-256 of <paramref name="data"/>, 32 bytes.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        // KeccakDigest keeps state, so a fresh one per call keeps this thread-safe; it is cheap to create.
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data.ToArray(), 0, data.Length);
        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output;
    }
}
