using System.Numerics;
using DepinMarket.Chain.Rlp;

namespace DepinMarket.Chain.Transactions;

/// <summary>
/// EIP-1559 (type 2) transaction: <c>0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to,
/// value, data, accessList, yParity, r, s])</c>. Named after Nethereum's <c>Transaction1559</c>.
/// </summary>
public sealed record Transaction1559 : SignedTransaction
{
    /// <summary>The type byte that prefixes the RLP payload.</summary>
    public const byte TypeByte = 0x02;

    /// <inheritdoc />
    public override TransactionType TransactionType => TransactionType.EIP1559;

    /// <summary>Chain id (replay protection is built into the type).</summary>
    public required BigInteger ChainId { get; init; }

    /// <summary>Tip paid to the block producer per gas.</summary>
    public required BigInteger MaxPriorityFeePerGas { get; init; }

    /// <summary>Cap on base fee + tip per gas.</summary>
    public required BigInteger MaxFeePerGas { get; init; }

    /// <summary>EIP-2930 access list; usually empty.</summary>
    public IReadOnlyList<AccessListItem> AccessList { get; init; } = [];

    /// <inheritdoc />
    public override byte[] GetRLPEncodedRaw() => Envelope(RlpItem.List(Fields()));

    /// <inheritdoc />
    public override byte[] GetRLPEncoded()
    {
        var signature = RequireSignature();
        if (signature.RecoveryId > 1)
        {
            throw new InvalidOperationException("A typed transaction carries a y-parity of 0 or 1.");
        }

        RlpItem[] all =
        [
            .. Fields(),
            RlpItem.FromBigInteger(signature.RecoveryId),
            RlpItem.FromBigInteger(signature.RValue),
            RlpItem.FromBigInteger(signature.SValue),
        ];
        return Envelope(RlpItem.List(all));
    }

    private RlpItem[] Fields() =>
    [
        RlpItem.FromBigInteger(ChainId),
        RlpItem.FromBigInteger(Nonce),
        RlpItem.FromBigInteger(MaxPriorityFeePerGas),
        RlpItem.FromBigInteger(MaxFeePerGas),
        RlpItem.FromBigInteger(GasLimit),
        .. CommonTail(),
        EncodeAccessList(AccessList),
    ];

    internal static RlpList EncodeAccessList(IReadOnlyList<AccessListItem> accessList) =>
        new(accessList.Select(item => (RlpItem)RlpItem.List(
            RlpItem.FromBytes(item.Address.ToArray()),
            new RlpList(item.StorageKeys.Select(k => (RlpItem)RlpItem.FromBytes(k))))));

    private static byte[] Envelope(RlpItem payload)
    {
        var rlp = RlpEncoder.Encode(payload);
        var result = new byte[rlp.Length + 1];
        result[0] = TypeByte;
        rlp.CopyTo(result, 1);
        return result;
    }
}
