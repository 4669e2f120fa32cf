namespace DepinMarket.Chain.Rpc;

/// <summary>
/// Waits for transactions to be mined and confirmed (Nethereum: <c>ITransactionReceiptService</c>). An interface so the
/// settlement worker's tests can decide when, and whether, a receipt arrives.
/// </summary>
public interface ITransactionReceiptService
{
    /// <summary>Confirmations <see cref="PollForReceiptAsync(string, CancellationToken)"/> waits for (1 = mined).</summary>
    int ConfirmationDepth { get; }

    /// <summary>How long <see cref="PollForReceiptAsync(string, CancellationToken)"/> waits.</summary>
    TimeSpan Timeout { get; }

    /// <summary>Waits for <see cref="ConfirmationDepth"/> confirmations, at most <see cref="Timeout"/>.</summary>
    /// <exception cref="TransactionReceiptTimeoutException">Not confirmed in time; the transaction may still be mined later.</exception>
    Task<TransactionReceipt> PollForReceiptAsync(string transactionHash, CancellationToken cancellationToken = default);

    /// <summary>Waits for <paramref name="confirmations"/> confirmations, at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TransactionReceiptTimeoutException">Not confirmed in time; the transaction may still be mined later.</exception>
    Task<TransactionReceipt> PollForReceiptAsync(string transactionHash, int confirmations, TimeSpan timeout, CancellationToken cancellationToken = default);
}
