using System.Numerics;

namespace DepinMarket.Chain.Rpc;

/// <summary>
/// The transaction was not mined with the required confirmations within the timeout. It may still be mined later:
/// the caller decides whether to keep waiting, re-broadcast, or replace it with a higher fee.
/// </summary>
public sealed class TransactionReceiptTimeoutException : TimeoutException
{
    public TransactionReceiptTimeoutException()
    {
    }

    public TransactionReceiptTimeoutException(string message)
        : base(message)
    {
    }

    public TransactionReceiptTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TransactionReceiptTimeoutException(string transactionHash, TimeSpan timeout, int confirmationsRequired, TransactionReceipt? lastReceipt, BigInteger confirmationsSeen)
        : base(lastReceipt is null
            ? $"Transaction {transactionHash} was not mined within {timeout}."
            : $"Transaction {transactionHash} has {confirmationsSeen} of {confirmationsRequired} confirmations after {timeout}.")
    {
        TransactionHash = transactionHash;
        Timeout = timeout;
        ConfirmationsRequired = confirmationsRequired;
        LastReceipt = lastReceipt;
        ConfirmationsSeen = confirmationsSeen;
    }

    public string? TransactionHash { get; }

    public TimeSpan Timeout { get; }

    public int ConfirmationsRequired { get; }

    /// <summary>The receipt when the transaction was mined but not yet deep enough; null when it was never seen mined.</summary>
    public TransactionReceipt? LastReceipt { get; }

    public BigInteger ConfirmationsSeen { get; }
}

/// <summary>
/// Waits for a transaction's receipt and N confirmations (Nethereum: <c>TransactionReceiptPollingService</c>).
/// Confirmations count the including block: 1 means mined, 12 means 11 more blocks on top. The receipt is re-read on
/// every poll, so a receipt from a block that a reorg dropped is not reported as final.
/// Waits go through a <see cref="TimeProvider"/>, so tests and the host control time.
/// </summary>
public sealed class TransactionReceiptPollingService : ITransactionReceiptService
{
    private readonly IEthApi _api;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _pollInterval;

    /// <summary>
    /// A service polling every <paramref name="pollInterval"/> (default 2 s) that waits, unless told otherwise, for
    /// <paramref name="confirmationDepth"/> confirmations (default 1) at most <paramref name="timeout"/> (default 5 min).
    /// </summary>
    public TransactionReceiptPollingService(IEthApi api, TimeSpan? pollInterval = null, TimeProvider? timeProvider = null, int confirmationDepth = 1, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentOutOfRangeException.ThrowIfLessThan(confirmationDepth, 1);
        _api = api;
        _pollInterval = pollInterval ?? TimeSpan.FromSeconds(2);
        if (_pollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(pollInterval), "The poll interval must be positive.");
        }

        Timeout = timeout ?? TimeSpan.FromMinutes(5);
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), "The timeout must be positive.");
        }

        ConfirmationDepth = confirmationDepth;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A service with the poll interval, confirmation depth and receipt timeout of <paramref name="options"/>.</summary>
    public TransactionReceiptPollingService(IEthApi api, ChainOptions options, TimeProvider? timeProvider = null)
        : this(
            api,
            options?.ReceiptPollInterval ?? throw new ArgumentNullException(nameof(options)),
            timeProvider,
            options.ConfirmationDepth,
            options.ReceiptTimeout)
    {
    }

    /// <inheritdoc />
    public int ConfirmationDepth { get; }

    /// <inheritdoc />
    public TimeSpan Timeout { get; }

    /// <inheritdoc />
    public Task<TransactionReceipt> PollForReceiptAsync(string transactionHash, CancellationToken cancellationToken = default) =>
        PollForReceiptAsync(transactionHash, ConfirmationDepth, Timeout, cancellationToken);

    /// <summary>
    /// Polls until the transaction has <paramref name="confirmations"/> confirmations and returns its receipt
    /// (successful or reverted: check <see cref="TransactionReceipt.Succeeded"/>).
    /// </summary>
    /// <exception cref="TransactionReceiptTimeoutException">Not confirmed within <paramref name="timeout"/>.</exception>
    public async Task<TransactionReceipt> PollForReceiptAsync(string transactionHash, int confirmations, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionHash);
        ArgumentOutOfRangeException.ThrowIfLessThan(confirmations, 1);
        var started = _timeProvider.GetTimestamp();
        TransactionReceipt? receipt = null;
        var seen = BigInteger.Zero;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            receipt = await _api.GetTransactionReceiptAsync(transactionHash, cancellationToken);
            if (receipt is not null)
            {
                var head = confirmations == 1 ? receipt.BlockNumber : await _api.BlockNumberAsync(cancellationToken);
                seen = head - receipt.BlockNumber + 1;
                if (seen >= confirmations)
                {
                    return receipt;
                }
            }
            else
            {
                seen = BigInteger.Zero;
            }

            if (_timeProvider.GetElapsedTime(started) + _pollInterval > timeout)
            {
                throw new TransactionReceiptTimeoutException(transactionHash, timeout, confirmations, receipt, seen);
            }

            await Task.Delay(_pollInterval, _timeProvider, cancellationToken);
        }
    }
}
