using System.Text;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Signing;

/// <summary>
/// EIP-191 version 0x45 ("personal_sign"): the signed hash is
/// keccak256("\x19Ethereum Signed Message:\n" + byte length + message). The prefix makes a signed login message
/// unusable as a transaction. Named after Nethereum's <c>EthereumMessageSigner</c>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Instance methods keep Nethereum's call shape (signer.EncodeUTF8AndSign) so swapping Nethereum in is mechanical.")]
public sealed class EthereumMessageSigner
{
    private const string Prefix = "\u0019Ethereum Signed Message:\n";

    /// <summary>Shared instance; the type holds no state.</summary>
    public static EthereumMessageSigner Current { get; } = new();

    /// <summary>The EIP-191 hash of raw message bytes.</summary>
    public static byte[] HashPrefixedMessage(byte[] message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var prefix = Encoding.ASCII.GetBytes(Prefix + message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Sha3Keccack.Hash([.. prefix, .. message]);
    }

    /// <summary>The EIP-191 hash of a text message (UTF-8, the length counts bytes, not characters).</summary>
    public static byte[] HashPrefixedMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return HashPrefixedMessage(Encoding.UTF8.GetBytes(message));
    }

    /// <summary>Signs a text message; returns the 65-byte r||s||v signature as 0x-hex with v = 27/28 (what wallets return).</summary>
    public string EncodeUTF8AndSign(string message, EthECKey key)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Sign(Encoding.UTF8.GetBytes(message), key);
    }

    /// <summary>Signs raw message bytes; returns the 65-byte signature as 0x-hex.</summary>
    public string Sign(byte[] message, EthECKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.SignAndCalculateV(HashPrefixedMessage(message)).CreateStringSignature();
    }

    /// <summary>
    /// Recovers the checksummed address that signed a text message.
    /// </summary>
    /// <exception cref="FormatException">The signature is not 65 bytes, has a bad v, or is malleable (high s).</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">No key can be recovered.</exception>
    public string EncodeUTF8AndEcRecover(string message, string signature)
    {
        ArgumentNullException.ThrowIfNull(message);
        return EcRecover(Encoding.UTF8.GetBytes(message), signature);
    }

    /// <summary>Recovers the checksummed address that signed raw message bytes.</summary>
    public string EcRecover(byte[] message, string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return RecoverAddress(message, signature.HexToByteArray()).ToString();
    }

    /// <summary>Recovers the signer as a value (compare it with the claimed address with ==).</summary>
    public static EthereumAddress RecoverAddress(byte[] message, byte[] signature)
    {
        var parsed = EthECDSASignature.FromRsvBytes(signature);
        return EthECKey.RecoverFromSignature(parsed, HashPrefixedMessage(message)).GetEthereumAddress();
    }

    /// <summary>
    /// True when <paramref name="signature"/> over the UTF-8 <paramref name="message"/> was made by <paramref name="expectedSigner"/>.
    /// Malformed signatures give false rather than an exception: to a login endpoint they are just wrong.
    /// </summary>
    public static bool IsValidSignature(string message, string signature, EthereumAddress expectedSigner)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(signature);
        try
        {
            return RecoverAddress(Encoding.UTF8.GetBytes(message), signature.HexToByteArray()) == expectedSigner;
        }
        catch (Exception ex) when (ex is FormatException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return false;
        }
    }
}
