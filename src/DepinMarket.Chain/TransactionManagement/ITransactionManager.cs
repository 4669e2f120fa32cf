using System.Numerics;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Transactions;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.TransactionManagement;

/// <summary>
/// Builds, signs and sends transactions for one account (Nethereum: <c>ITransactionManager</c>). An interface so the
/// settlement worker's tests can fake signing and broadcasting (a crash after signing, a node that refuses, …).
/// </summary>
public interface ITransactionManager
{
    /// <summary>The sending account.</summary>
    EthereumAddress Account { get; }

    /// <summary>Chain id transactions are signed for.</summary>
    BigInteger ChainId { get; }

    /// <summary>Where nonces come from.</summary>
    INonceSource NonceSource { get; }

    /// <summary>Where EIP-1559 fees come from.</summary>
    IFee1559SuggestionStrategy Fee1559SuggestionStrategy { get; }

    /// <summary>How receipts are awaited by the *AndWaitForReceipt calls.</summary>
    ITransactionReceiptService TransactionReceiptService { get; }

    /// <summary>eth_estimateGas for the request, plus the configured headroom.</summary>
    Task<BigInteger> EstimateGasAsync(TransactionRequest request, CancellationToken cancellationToken = default);

    /// <summary>The unsigned transaction with every missing field filled (EIP-1559, or legacy when a gas price is set).</summary>
    Task<SignedTransaction> BuildTransactionAsync(TransactionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Builds and signs; nothing is sent. Store the signed bytes before broadcasting.</summary>
    Task<SignedTransaction> SignTransactionAsync(TransactionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Broadcasts signed bytes and returns the transaction hash ("already known" counts as success).</summary>
    Task<string> SendRawTransactionAsync(SignedTransaction signedTransaction, CancellationToken cancellationToken = default);

    /// <summary>Builds, signs and sends; returns the transaction hash.</summary>
    Task<string> SendTransactionAsync(TransactionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Sends and waits for the receipt with <see cref="TransactionReceiptService"/>'s confirmations and timeout.</summary>
    Task<TransactionReceipt> SendTransactionAndWaitForReceiptAsync(TransactionRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends <paramref name="deployment"/> as a contract creation and waits for its receipt (check
    /// <see cref="TransactionReceipt.Succeeded"/>). When it succeeded, its <see cref="TransactionReceipt.ContractAddress"/>
    /// is checked against the CREATE address of <see cref="Account"/> and the nonce used.
    /// </summary>
    /// <exception cref="InvalidOperationException">The receipt reports another contract address than CREATE gives.</exception>
    Task<TransactionReceipt> DeployContractAndWaitForReceiptAsync<TDeployment>(TDeployment deployment, CancellationToken cancellationToken = default)
        where TDeployment : ContractDeploymentMessage;
}
