using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Transactions;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Signing;

/// <summary>
/// Something that holds a key and signs 32-byte hashes: a local key today, a KMS/HSM tomorrow. Signing a hash is the
/// one primitive every KMS offers; transactions and messages are hashed here and only the hash leaves the process.
/// Implementations must return low-s signatures with the recovery id set (a KMS signer normalises s and finds the id
/// by recovering against <see cref="Address"/>).
/// </summary>
public interface IEthSigner
{
    /// <summary>The address of the signing key.</summary>
    EthereumAddress Address { get; }

    /// <summary>Signs a 32-byte hash.</summary>
    Task<EthECDSASignature> SignHashAsync(byte[] hash, CancellationToken cancellationToken = default);
}

/// <summary>Signs whole transactions with an <see cref="IEthSigner"/> (Nethereum: <c>ITransactionSigner</c>'s role).</summary>
public static class EthSignerExtensions
{
    /// <summary>
    /// Signs <paramref name="transaction"/> and checks that the signature recovers to the signer's address, so a
    /// misconfigured key (or a KMS returning a signature for another key) fails here instead of on chain.
    /// </summary>
    public static async Task<SignedTransaction> SignTransactionAsync(this IEthSigner signer, SignedTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(transaction);
        var signature = await signer.SignHashAsync(transaction.RawHash, cancellationToken);
        var signed = transaction.WithSignature(signature);
        if (signed.GetSenderAddress() != signer.Address)
        {
            throw new System.Security.Cryptography.CryptographicException("The signature does not recover to the signer's address.");
        }

        return signed;
    }

    /// <summary>EIP-191 personal_sign of a UTF-8 message; returns the 65-byte 0x-hex signature.</summary>
    public static async Task<string> SignMessageAsync(this IEthSigner signer, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var signature = await signer.SignHashAsync(EthereumMessageSigner.HashPrefixedMessage(message), cancellationToken);
        return signature.CreateStringSignature();
    }
}

/// <summary>An <see cref="IEthSigner"/> holding the private key in process memory.</summary>
public sealed class LocalEthSigner : IEthSigner
{
    private readonly EthECKey _key;

    /// <summary>Signer for <paramref name="key"/>, which must have its private part.</summary>
    public LocalEthSigner(EthECKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.HasPrivateKey)
        {
            throw new ArgumentException("The key has no private part.", nameof(key));
        }

        _key = key;
        Address = key.GetEthereumAddress();
    }

    /// <summary>Signer for a hex private key.</summary>
    public LocalEthSigner(string privateKeyHex)
        : this(new EthECKey(privateKeyHex))
    {
    }

    /// <inheritdoc />
    public EthereumAddress Address { get; }

    /// <inheritdoc />
    public Task<EthECDSASignature> SignHashAsync(byte[] hash, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_key.SignAndCalculateV(hash));
    }

    /// <summary>Shows the address only; the key must never reach a log.</summary>
    public override string ToString() => $"LocalEthSigner({Address})";
}
