using System.Numerics;
using DepinMarket.Chain.Rlp;

namespace DepinMarket.Chain.Transactions;

/// <summary>
/// Legacy (pre-typed) transaction: <c>rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s])</c>. With a
/// <see cref="ChainId"/> it is signed per EIP-155 (<c>v = chainId*2 + 35 + parity</c>); without one it is the
/// replayable pre-EIP-155 form (<c>v = 27 + parity</c>), supported only for decoding old transactions.
/// Named after Nethereum's <c>LegacyTransactionChainId</c>.
/// </summary>
public sealed record LegacyTransactionChainId : SignedTransaction
{
    /// <inheritdoc />
    public override TransactionType TransactionType => TransactionType.LegacyTransaction;

    /// <summary>Price per gas.</summary>
    public required BigInteger GasPrice { get; init; }

    /// <summary>EIP-155 chain id; null for pre-EIP-155 transactions.</summary>
    public BigInteger? ChainId { get; init; }

    /// <summary>The v value as serialised.</summary>
    public BigInteger V
    {
        get
        {
            var signature = RequireSignature();
            return ChainId is { } chainId ? (chainId * 2) + 35 + signature.RecoveryId : 27 + signature.RecoveryId;
        }
    }

    /// <inheritdoc />
    public override byte[] GetRLPEncodedRaw()
    {
        // EIP-155 signs over the six fields plus (chainId, 0, 0).
        RlpItem[] fields = ChainId is { } chainId
            ? [.. Fields(), RlpItem.FromBigInteger(chainId), RlpItem.FromBytes([]), RlpItem.FromBytes([])]
            : Fields();
        return RlpEncoder.Encode(RlpItem.List(fields));
    }

    /// <inheritdoc />
    public override byte[] GetRLPEncoded()
    {
        var signature = RequireSignature();
        RlpItem[] fields =
        [
            .. Fields(),
            RlpItem.FromBigInteger(V),
            RlpItem.FromBigInteger(signature.RValue),
            RlpItem.FromBigInteger(signature.SValue),
        ];
        return RlpEncoder.Encode(RlpItem.List(fields));
    }

    private RlpItem[] Fields() =>
    [
        RlpItem.FromBigInteger(Nonce),
        RlpItem.FromBigInteger(GasPrice),
        RlpItem.FromBigInteger(GasLimit),
        .. CommonTail(),
    ];
}
