using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace DepinMarket.Chain.Crypto;

/// <summary>
/// The secp256k1 curve parameters, built once; BouncyCastle's curve objects are immutable and thread-safe.
/// CustomNamedCurves (rather than SecNamedCurves) gives the same curve with BouncyCastle's specialised field arithmetic
/// and the GLV endomorphism: several times faster, which matters because every login verifies a signature.
/// </summary>
internal static class Secp256k1
{
    internal static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");

    private static readonly FixedPointCombMultiplier BaseMultiplier = new();

    internal static readonly ECDomainParameters Domain = new(Curve.Curve, Curve.G, Curve.N, Curve.H);

    internal static readonly BcBigInteger N = Curve.N;

    internal static readonly BcBigInteger HalfN = Curve.N.ShiftRight(1);

    /// <summary>The group order n as a System.Numerics value, for code that works in BigInteger.</summary>
    internal static readonly System.Numerics.BigInteger Order = new(Curve.N.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);

    /// <summary>The field prime p.</summary>
    internal static readonly BcBigInteger Prime = Curve.Curve.Field.Characteristic;

    /// <summary>d·G using the fixed-point comb, whose precomputation on G is cached by BouncyCastle.</summary>
    internal static ECPoint MultiplyBase(BcBigInteger d) => BaseMultiplier.Multiply(Curve.G, d).Normalize();

    /// <summary>
    /// Recovers the public key from a signature (SEC 1 v2, section 4.1.6). <paramref name="recoveryId"/> bit 0 is the
    /// parity of R.y, bit 1 says R.x overflowed the group order (so x = r + n; it essentially never happens).
    /// Returns null when no valid point exists for this id.
    /// </summary>
    internal static ECPoint? RecoverPublicKey(byte[] hash, BcBigInteger r, BcBigInteger s, int recoveryId)
    {
        if (recoveryId is < 0 or > 3 || r.SignValue <= 0 || s.SignValue <= 0 || r.CompareTo(N) >= 0 || s.CompareTo(N) >= 0)
        {
            return null;
        }

        var x = recoveryId >= 2 ? r.Add(N) : r;
        if (x.CompareTo(Prime) >= 0)
        {
            return null;
        }

        // Decompress R from its x coordinate and the parity of y.
        var xBytes = x.ToByteArrayUnsigned();
        var encoded = new byte[33];
        encoded[0] = (byte)((recoveryId & 1) == 1 ? 0x03 : 0x02);
        Array.Copy(xBytes, 0, encoded, 33 - xBytes.Length, xBytes.Length);
        ECPoint rPoint;
        try
        {
            rPoint = Curve.Curve.DecodePoint(encoded);
        }
        catch (ArgumentException)
        {
            return null;
        }

        // No n*R == infinity check: secp256k1 has cofactor 1, so every point on the curve has order n.
        // Q = r^-1 (sR - eG)
        var e = new BcBigInteger(1, hash);
        var eNeg = BcBigInteger.Zero.Subtract(e).Mod(N);
        var rInv = r.ModInverse(N);
        var srInv = rInv.Multiply(s).Mod(N);
        var eNegRInv = rInv.Multiply(eNeg).Mod(N);
        var q = ECAlgorithms.SumOfTwoMultiplies(Curve.G, eNegRInv, rPoint, srInv).Normalize();
        return q.IsInfinity ? null : q;
    }
}
