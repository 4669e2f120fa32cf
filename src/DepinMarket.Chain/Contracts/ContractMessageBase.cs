using System.Numerics;
using DepinMarket.Chain.TransactionManagement;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Contracts;

/// <summary>
/// The transaction fields every contract message can set (Nethereum: <c>ContractMessageBase</c>), shared by
/// <see cref="FunctionMessage"/> and <see cref="ContractDeploymentMessage"/>. Each one left null is chosen by the
/// transaction manager; each one set is used as given, never ignored.
/// </summary>
public abstract class ContractMessageBase
{
    /// <summary>Wei to send with the call.</summary>
    public BigInteger AmountToSend { get; set; }

    /// <summary>Gas limit; null to estimate.</summary>
    public BigInteger? Gas { get; set; }

    /// <summary>
    /// Legacy gas price. Set, the message goes as a legacy EIP-155 transaction paying exactly this price per gas (for
    /// chains or tools without EIP-1559); it cannot be combined with <see cref="MaxFeePerGas"/>/<see cref="MaxPriorityFeePerGas"/>.
    /// Null (the default) sends an EIP-1559 transaction.
    /// </summary>
    public BigInteger? GasPrice { get; set; }

    /// <summary>EIP-1559 fee cap; null to use the fee strategy.</summary>
    public BigInteger? MaxFeePerGas { get; set; }

    /// <summary>EIP-1559 tip; null to use the fee strategy.</summary>
    public BigInteger? MaxPriorityFeePerGas { get; set; }

    /// <summary>Nonce; null to take one from the nonce source. Set it to replace (re-price) a pending transaction.</summary>
    public BigInteger? Nonce { get; set; }

    /// <summary>Sender for eth_call / estimates; the signer's address is used when sending.</summary>
    public string? FromAddress { get; set; }

    /// <summary>The transaction request carrying this message's fields, to <paramref name="to"/> (null creates a contract).</summary>
    public TransactionRequest CreateTransactionRequest(EthereumAddress? to, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new TransactionRequest
        {
            To = to,
            Data = data,
            Value = AmountToSend,
            Gas = Gas,
            GasPrice = GasPrice,
            MaxFeePerGas = MaxFeePerGas,
            MaxPriorityFeePerGas = MaxPriorityFeePerGas,
            Nonce = Nonce,
        };
    }
}
