using System.Numerics;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rlp;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Transactions;

/// <summary>Envelope type of a transaction (EIP-2718). Names follow Nethereum's <c>TransactionType</c>.</summary>
public enum TransactionType
{
    /// <summary>Pre-EIP-2718 RLP list, signed with EIP-155 replay protection when a chain id is set.</summary>
    LegacyTransaction = 0,

    /// <summary>Type 2: EIP-1559 fee market transaction.</summary>
    EIP1559 = 2,
}

/// <summary>
/// What every transaction type shares: the unsigned encoding and its hash (what is signed), the signed encoding
/// and its hash (the transaction hash the node reports), and sender recovery. Immutable: signing returns a signed copy,
/// so a value that was stored before broadcasting cannot change underneath the caller.
/// </summary>
public abstract record SignedTransaction
{
    /// <summary>Envelope type.</summary>
    public abstract TransactionType TransactionType { get; }

    /// <summary>Sender nonce.</summary>
    public required BigInteger Nonce { get; init; }

    /// <summary>Gas limit.</summary>
    public required BigInteger GasLimit { get; init; }

    /// <summary>Recipient; null creates a contract.</summary>
    public EthereumAddress? To { get; init; }

    /// <summary>Wei sent with the call.</summary>
    public BigInteger Value { get; init; }

    /// <summary>Call data (or init code when <see cref="To"/> is null).</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>The signature; null until signed.</summary>
    public EthECDSASignature? Signature { get; init; }

    /// <summary>True once a signature is attached.</summary>
    public bool IsSigned => Signature is not null;

    /// <summary>The unsigned serialisation (Nethereum: <c>GetRLPEncodedRaw</c>).</summary>
    public abstract byte[] GetRLPEncodedRaw();

    /// <summary>The signed serialisation, what <c>eth_sendRawTransaction</c> takes (Nethereum: <c>GetRLPEncoded</c>).</summary>
    public abstract byte[] GetRLPEncoded();

    /// <summary>keccak256 of the unsigned serialisation: the hash that is signed (Nethereum: <c>RawHash</c>).</summary>
    public byte[] RawHash => Sha3Keccack.Hash(GetRLPEncodedRaw());

    /// <summary>keccak256 of the signed serialisation: the transaction hash.</summary>
    public byte[] Hash => Sha3Keccack.Hash(GetRLPEncoded());

    /// <summary>The transaction hash as 0x-prefixed hex.</summary>
    public string TransactionHash => Hash.ToHex(prefix: true);

    /// <summary>Signed serialisation as 0x-prefixed hex, ready for <c>eth_sendRawTransaction</c>.</summary>
    public string GetRawTransactionHex() => GetRLPEncoded().ToHex(prefix: true);

    /// <summary>A signed copy of this transaction, signed with <paramref name="key"/>.</summary>
    public SignedTransaction Sign(EthECKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return this with { Signature = key.SignAndCalculateV(RawHash) };
    }

    /// <summary>A copy carrying <paramref name="signature"/> (for signatures made elsewhere, such as a KMS).</summary>
    public SignedTransaction WithSignature(EthECDSASignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return this with { Signature = signature };
    }

    /// <summary>Recovers the sender from the signature.</summary>
    public EthereumAddress GetSenderAddress()
    {
        var signature = RequireSignature();
        return EthECKey.RecoverFromSignature(signature, RawHash).GetEthereumAddress();
    }

    private protected EthECDSASignature RequireSignature() =>
        Signature ?? throw new InvalidOperationException("The transaction is not signed.");

    private protected RlpItem[] CommonTail() =>
    [
        To is { } to ? RlpItem.FromBytes(to.ToArray()) : RlpItem.FromBytes([]),
        RlpItem.FromBigInteger(Value),
        RlpItem.FromBytes(Data),
    ];
}
