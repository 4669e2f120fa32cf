using System.Numerics;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Crypto;

/// <summary>
/// An ECDSA signature over secp256k1 with its recovery id, as Ethereum uses it.
/// Named after Nethereum's <c>EthECDSASignature</c>. <see cref="V"/> depends on where the signature goes
/// (27/28 for messages, the y-parity for typed transactions, chainId*2+35+parity for EIP-155), so the
/// neutral <see cref="RecoveryId"/> is what is stored.
/// </summary>
public sealed class EthECDSASignature
{
    private static readonly BigInteger N = Secp256k1.Order;

    /// <summary>Creates a signature; r and s must be in [1, n-1] and the recovery id in [0, 3].</summary>
    public EthECDSASignature(BigInteger r, BigInteger s, int recoveryId)
    {
        if (r.Sign <= 0 || r >= N)
        {
            throw new ArgumentOutOfRangeException(nameof(r), "r is outside [1, n-1].");
        }

        if (s.Sign <= 0 || s >= N)
        {
            throw new ArgumentOutOfRangeException(nameof(s), "s is outside [1, n-1].");
        }

        if (recoveryId is < 0 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(recoveryId), "The recovery id is 0..3.");
        }

        RValue = r;
        SValue = s;
        RecoveryId = recoveryId;
    }

    /// <summary>r as an integer.</summary>
    public BigInteger RValue { get; }

    /// <summary>s as an integer.</summary>
    public BigInteger SValue { get; }

    /// <summary>0 or 1: the parity of the y coordinate of R (2 and 3 only when R.x overflowed n).</summary>
    public int RecoveryId { get; }

    /// <summary>r as 32 big-endian bytes.</summary>
    public byte[] R => To32Bytes(RValue);

    /// <summary>s as 32 big-endian bytes.</summary>
    public byte[] S => To32Bytes(SValue);

    /// <summary>The message-signature v: 27 + recovery id (what wallets return for personal_sign).</summary>
    public byte V => (byte)(27 + RecoveryId);

    /// <summary>True when s is in the lower half of the order, the only form Ethereum accepts since Homestead (EIP-2).</summary>
    public bool IsLowS => SValue <= N / 2;

    /// <summary>65 bytes r || s || v with v = 27/28.</summary>
    public byte[] ToRsvBytes()
    {
        var result = new byte[65];
        R.CopyTo(result, 0);
        S.CopyTo(result, 32);
        result[64] = V;
        return result;
    }

    /// <summary>Nethereum's name: "0x" + r + s + v.</summary>
    public string CreateStringSignature() => ToRsvBytes().ToHex(prefix: true);

    /// <summary>
    /// Parses a 65-byte r || s || v signature. v may be 27/28 (wallets) or 0/1 (some hardware wallets and libraries).
    /// High-s signatures are rejected: they are malleable copies of a valid signature and no honest signer produces them.
    /// </summary>
    public static EthECDSASignature FromRsvBytes(ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 65)
        {
            throw new FormatException($"A signature is 65 bytes (r, s, v); got {signature.Length}.");
        }

        var v = signature[64];
        var recoveryId = v switch
        {
            0 or 1 => v,
            27 or 28 => v - 27,
            _ => throw new FormatException($"Signature v must be 27, 28, 0 or 1; got {v}."),
        };
        var r = signature[..32].ToBigIntegerFromBigEndian();
        var s = signature[32..64].ToBigIntegerFromBigEndian();
        if (r.IsZero || r >= N || s.IsZero || s >= N)
        {
            throw new FormatException("Signature r or s is out of range.");
        }

        if (s > N / 2)
        {
            throw new FormatException("Signature s is in the upper half of the curve order (malleable signature).");
        }

        return new EthECDSASignature(r, s, recoveryId);
    }

    /// <summary>Parses a hex 65-byte signature.</summary>
    public static EthECDSASignature FromHex(string signatureHex) => FromRsvBytes(signatureHex.HexToByteArray());

    private static byte[] To32Bytes(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[32];
        bytes.CopyTo(result, 32 - bytes.Length);
        return result;
    }
}
