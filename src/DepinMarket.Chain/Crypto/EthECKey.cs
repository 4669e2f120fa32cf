using System.Security.Cryptography;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Util;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace DepinMarket.Chain.Crypto;

/// <summary>
/// A secp256k1 key pair (or a public key alone, when recovered from a signature). Named after Nethereum's <c>EthECKey</c>.
/// Signing is deterministic (RFC 6979, HMAC-SHA256) and always returns low-s signatures, so the same hash and key
/// give the same bytes as ethers.js, and a retried signing step produces an identical transaction.
/// </summary>
public sealed class EthECKey
{
    private readonly BcBigInteger? _privateKey;
    private readonly ECPoint _publicKey;
    private string? _address;

    /// <summary>Key from 32 private-key bytes.</summary>
    public EthECKey(byte[] privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.Length != 32)
        {
            throw new ArgumentException($"A private key is 32 bytes; got {privateKey.Length}.", nameof(privateKey));
        }

        var d = new BcBigInteger(1, privateKey);
        if (d.SignValue <= 0 || d.CompareTo(Secp256k1.N) >= 0)
        {
            throw new ArgumentException("The private key is outside [1, n-1].", nameof(privateKey));
        }

        _privateKey = d;
        _publicKey = Secp256k1.MultiplyBase(d);
    }

    /// <summary>Key from a hex private key (with or without <c>0x</c>).</summary>
    public EthECKey(string privateKeyHex)
        : this(privateKeyHex.HexToByteArray())
    {
    }

    private EthECKey(ECPoint publicKey)
    {
        _publicKey = publicKey.Normalize();
    }

    /// <summary>True when this key can sign (false for a key recovered from a signature).</summary>
    public bool HasPrivateKey => _privateKey is not null;

    /// <summary>A fresh random key from the OS CSPRNG.</summary>
    public static EthECKey GenerateKey()
    {
        var bytes = new byte[32];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            var d = new BcBigInteger(1, bytes);
            if (d.SignValue > 0 && d.CompareTo(Secp256k1.N) < 0)
            {
                return new EthECKey(bytes);
            }
        }
    }

    /// <summary>A public-key-only key from an uncompressed (65 bytes, 0x04 prefix) or compressed (33 bytes) public key.</summary>
    public static EthECKey FromPublicKey(byte[] publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return new EthECKey(Secp256k1.Curve.Curve.DecodePoint(publicKey));
    }

    /// <summary>The 32 private-key bytes.</summary>
    public byte[] GetPrivateKeyAsBytes()
    {
        var d = _privateKey ?? throw new InvalidOperationException("This key has no private part.");
        var bytes = d.ToByteArrayUnsigned();
        var result = new byte[32];
        Array.Copy(bytes, 0, result, 32 - bytes.Length, bytes.Length);
        return result;
    }

    /// <summary>The private key as 0x-prefixed hex.</summary>
    public string GetPrivateKey() => GetPrivateKeyAsBytes().ToHex(prefix: true);

    /// <summary>Uncompressed public key: 0x04 || X || Y, 65 bytes.</summary>
    public byte[] GetPubKey() => _publicKey.GetEncoded(false);

    /// <summary>Public key without the 0x04 prefix, 64 bytes (what the address is hashed from).</summary>
    public byte[] GetPubKeyNoPrefix() => GetPubKey()[1..];

    /// <summary>The EIP-55 checksummed address: last 20 bytes of keccak256(X || Y).</summary>
    public string GetPublicAddress() => _address ??= GetEthereumAddress().ToString();

    /// <summary>The address as a value type.</summary>
    public EthereumAddress GetEthereumAddress() =>
        new(Sha3Keccack.Hash(GetPubKeyNoPrefix()).AsSpan(12, 20));

    /// <summary>
    /// Signs a 32-byte hash: RFC 6979 nonce (HMAC-SHA256), s normalised to the lower half (EIP-2), and the recovery id
    /// taken from the parity of R.y (flipped when s is negated). Nethereum's name; the "calculate V" is the recovery id.
    /// ECDSA is written out here rather than using BouncyCastle's ECDsaSigner because that hides R, and recovering the
    /// key twice to find the id would triple the cost of every signature.
    /// </summary>
    public EthECDSASignature SignAndCalculateV(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (hash.Length != 32)
        {
            throw new ArgumentException($"Sign a 32-byte hash; got {hash.Length} bytes.", nameof(hash));
        }

        var d = _privateKey ?? throw new InvalidOperationException("This key has no private part.");
        var n = Secp256k1.N;
        var kCalculator = new HMacDsaKCalculator(new Sha256Digest());
        kCalculator.Init(n, d, hash);

        // A 32-byte hash has the bit length of n, so e needs no truncation.
        var e = new BcBigInteger(1, hash);
        while (true)
        {
            var k = kCalculator.NextK();
            var point = Secp256k1.MultiplyBase(k);
            var x = point.AffineXCoord.ToBigInteger();
            var r = x.Mod(n);
            if (r.SignValue == 0)
            {
                continue;
            }

            var s = k.ModInverse(n).Multiply(e.Add(d.Multiply(r))).Mod(n);
            if (s.SignValue == 0)
            {
                continue;
            }

            var recoveryId = (point.AffineYCoord.TestBitZero() ? 1 : 0) | (x.CompareTo(n) >= 0 ? 2 : 0);

            // EIP-2: (r, s) and (r, n - s) are both valid; only the low one is accepted on chain. Negating s
            // corresponds to negating R, which flips the parity of its y.
            if (s.CompareTo(Secp256k1.HalfN) > 0)
            {
                s = n.Subtract(s);
                recoveryId ^= 1;
            }

            return new EthECDSASignature(ToSystem(r), ToSystem(s), recoveryId);
        }
    }

    /// <summary>Verifies a signature over a 32-byte hash against this key's public key.</summary>
    public bool Verify(byte[] hash, EthECDSASignature signature)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(signature);
        var verifier = new ECDsaSigner();
        verifier.Init(false, new ECPublicKeyParameters(_publicKey, Secp256k1.Domain));
        return verifier.VerifySignature(hash, ToBouncy(signature.RValue), ToBouncy(signature.SValue));
    }

    /// <summary>Recovers the signer's public key from a signature and the hash it signed.</summary>
    /// <exception cref="CryptographicException">No public key matches (corrupt signature).</exception>
    public static EthECKey RecoverFromSignature(EthECDSASignature signature, byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(hash);
        if (hash.Length != 32)
        {
            throw new ArgumentException($"Recover from a 32-byte hash; got {hash.Length} bytes.", nameof(hash));
        }

        var point = Secp256k1.RecoverPublicKey(hash, ToBouncy(signature.RValue), ToBouncy(signature.SValue), signature.RecoveryId)
            ?? throw new CryptographicException("No public key can be recovered from this signature.");
        return new EthECKey(point);
    }

    private static System.Numerics.BigInteger ToSystem(BcBigInteger value) =>
        new(value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);

    private static BcBigInteger ToBouncy(System.Numerics.BigInteger value) =>
        new(1, value.ToByteArray(isUnsigned: true, isBigEndian: true));
}
