using System.Numerics;
using DepinMarket.Chain.Transactions;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.TransactionManagement;

/// <summary>
/// What to send; every null field is filled by the <see cref="TransactionManager"/> (gas by estimate + headroom,
/// fees by the strategy, nonce by the nonce source), and every field set is used as given. Set <see cref="Nonce"/> and
/// higher fees to replace a stuck transaction.
/// </summary>
public sealed record TransactionRequest
{
    /// <summary>Recipient or contract; null deploys <see cref="Data"/> as a contract.</summary>
    public EthereumAddress? To { get; init; }

    /// <summary>Call data.</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>Wei to send.</summary>
    public BigInteger Value { get; init; }

    /// <summary>Gas limit; null to estimate.</summary>
    public BigInteger? Gas { get; init; }

    /// <summary>
    /// Legacy gas price: set, the request is signed as a legacy EIP-155 transaction at exactly this price. Combining it
    /// with <see cref="MaxFeePerGas"/>, <see cref="MaxPriorityFeePerGas"/> or an <see cref="AccessList"/> is an error.
    /// </summary>
    public BigInteger? GasPrice { get; init; }

    /// <summary>Fee cap; null to use the fee strategy (set both fee fields or neither).</summary>
    public BigInteger? MaxFeePerGas { get; init; }

    /// <summary>Tip; null to use the fee strategy.</summary>
    public BigInteger? MaxPriorityFeePerGas { get; init; }

    /// <summary>Nonce; null to ask the nonce source.</summary>
    public BigInteger? Nonce { get; init; }

    /// <summary>EIP-2930 access list.</summary>
    public IReadOnlyList<AccessListItem> AccessList { get; init; } = [];
}
