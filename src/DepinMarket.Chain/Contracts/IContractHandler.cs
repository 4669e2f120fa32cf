using System.Numerics;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.TransactionManagement;
using DepinMarket.Chain.Transactions;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Contracts;

/// <summary>
/// Typed access to one contract (Nethereum: <c>ContractHandler</c>, from <c>web3.Eth.GetContractHandler(address)</c>).
/// An interface so code that settles through a contract can be tested with a fake one.
/// </summary>
public interface IContractHandler
{
    /// <summary>The contract's address.</summary>
    EthereumAddress ContractAddress { get; }

    /// <summary>The transaction request for a function message (its optional gas/fee/nonce fields carried over).</summary>
    TransactionRequest CreateTransactionRequest(FunctionMessage message);

    /// <summary>Signs the call without sending it (store it, then <see cref="ITransactionManager.SendRawTransactionAsync"/>).</summary>
    Task<SignedTransaction> SignTransactionAsync<TFunction>(TFunction message, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage;

    /// <summary>Sends the call as a transaction; returns its hash.</summary>
    Task<string> SendRequestAsync<TFunction>(TFunction message, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage;

    /// <summary>Sends the call and waits for its receipt with the configured confirmations (check <see cref="TransactionReceipt.Succeeded"/>).</summary>
    Task<TransactionReceipt> SendRequestAndWaitForReceiptAsync<TFunction>(TFunction message, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage;

    /// <summary>Gas estimate for the call.</summary>
    Task<BigInteger> EstimateGasAsync<TFunction>(TFunction message, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage;

    /// <summary>eth_call of the function, decoded to <typeparamref name="TOutput"/> (an output DTO or the first return value).</summary>
    Task<TOutput> QueryAsync<TFunction, TOutput>(TFunction? message = null, BlockParameter? block = null, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new();

    /// <summary>Nethereum's name for querying into an output DTO; same as <see cref="QueryAsync{TFunction, TOutput}"/>.</summary>
    Task<TOutput> QueryDeserializingToObjectAsync<TFunction, TOutput>(TFunction? message = null, BlockParameter? block = null, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new();

    /// <summary>eth_getLogs for <typeparamref name="TEvent"/> emitted by this contract between two blocks (inclusive), decoded.</summary>
    Task<List<EventLog<TEvent>>> GetEventsAsync<TEvent>(BlockParameter fromBlock, BlockParameter toBlock, CancellationToken cancellationToken = default)
        where TEvent : IEventDTO, new();
}
