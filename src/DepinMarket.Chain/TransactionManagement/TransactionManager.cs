using System.Numerics;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Signing;
using DepinMarket.Chain.Transactions;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.TransactionManagement;

/// <summary>
/// Builds, signs and sends transactions for one signer on one chain (Nethereum: <c>TransactionManager</c>): EIP-1559 by
/// default, legacy EIP-155 when a request sets a gas price.
/// Signing and sending are separate steps so the settlement worker can store the signed bytes before broadcasting
/// and, after a crash, re-broadcast exactly the same transaction (same hash) instead of paying twice.
/// </summary>
public sealed class TransactionManager : ITransactionManager
{
    private readonly IEthApi _api;
    private readonly IEthSigner _signer;
    private readonly int _gasHeadroomPercent;

    /// <summary>
    /// A manager for <paramref name="signer"/> on chain <paramref name="chainId"/>; receipts are awaited with
    /// <paramref name="receiptService"/> (default: polling for one confirmation, at most 5 minutes).
    /// </summary>
    public TransactionManager(
        IEthApi api,
        IEthSigner signer,
        BigInteger chainId,
        INonceSource? nonceSource = null,
        IFee1559SuggestionStrategy? feeStrategy = null,
        int gasHeadroomPercent = 20,
        ITransactionReceiptService? receiptService = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chainId);
        ArgumentOutOfRangeException.ThrowIfNegative(gasHeadroomPercent);
        _api = api;
        _signer = signer;
        ChainId = chainId;
        NonceSource = nonceSource ?? new PendingNonceSource(api);
        Fee1559SuggestionStrategy = feeStrategy ?? new FeeHistoryFee1559SuggestionStrategy(api);
        _gasHeadroomPercent = gasHeadroomPercent;
        TransactionReceiptService = receiptService ?? new TransactionReceiptPollingService(api);
    }

    /// <summary>
    /// A manager configured from <see cref="ChainOptions"/> (chain id, headroom, fee settings, and, without a
    /// <paramref name="receiptService"/>, the receipt poll interval, confirmation depth and timeout).
    /// </summary>
    public TransactionManager(
        IEthApi api,
        IEthSigner signer,
        ChainOptions options,
        INonceSource? nonceSource = null,
        IFee1559SuggestionStrategy? feeStrategy = null,
        ITransactionReceiptService? receiptService = null)
        : this(
            api,
            signer,
            options?.ChainId ?? throw new ArgumentNullException(nameof(options)),
            nonceSource,
            feeStrategy ?? new FeeHistoryFee1559SuggestionStrategy(api, options),
            options.GasHeadroomPercent,
            receiptService ?? new TransactionReceiptPollingService(api, options))
    {
    }

    /// <inheritdoc />
    public EthereumAddress Account => _signer.Address;

    /// <inheritdoc />
    public BigInteger ChainId { get; }

    /// <inheritdoc />
    public INonceSource NonceSource { get; }

    /// <inheritdoc />
    public IFee1559SuggestionStrategy Fee1559SuggestionStrategy { get; }

    /// <inheritdoc />
    public ITransactionReceiptService TransactionReceiptService { get; }

    /// <summary>eth_estimateGas for the request, plus the configured headroom (rounded up).</summary>
    public async Task<BigInteger> EstimateGasAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var estimate = await _api.EstimateGasAsync(
            new CallInput
            {
                From = _signer.Address.ToString(),
                To = request.To?.ToString(),
                Data = request.Data.ToHex(prefix: true),
                Value = request.Value.IsZero ? null : request.Value,
            },
            cancellationToken);
        return ((estimate * (100 + _gasHeadroomPercent)) + 99) / 100;
    }

    /// <summary>
    /// Fills the missing fields of <paramref name="request"/>: an EIP-1559 transaction, or a legacy EIP-155 one when
    /// <see cref="TransactionRequest.GasPrice"/> is set. The nonce is taken last, after the gas estimate and fee lookups
    /// that can fail (a revert shows up in the estimate), so a database-backed nonce source does not hand out a nonce for
    /// a transaction that is never sent.
    /// </summary>
    /// <exception cref="ArgumentException">The request mixes legacy and EIP-1559 fee fields, or sets only one EIP-1559 fee.</exception>
    public async Task<SignedTransaction> BuildTransactionAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckFeeFields(request);
        var gas = request.Gas ?? await EstimateGasAsync(request, cancellationToken);
        if (request.GasPrice is { } gasPrice)
        {
            return new LegacyTransactionChainId
            {
                ChainId = ChainId,
                Nonce = request.Nonce ?? await NonceSource.GetNextNonceAsync(_signer.Address, cancellationToken),
                GasPrice = gasPrice,
                GasLimit = gas,
                To = request.To,
                Value = request.Value,
                Data = request.Data,
            };
        }

        var fees = request.MaxFeePerGas is { } maxFee
            ? new Fee1559(maxFee, request.MaxPriorityFeePerGas!.Value)
            : await Fee1559SuggestionStrategy.SuggestFeeAsync(cancellationToken);
        if (fees.MaxPriorityFeePerGas > fees.MaxFeePerGas)
        {
            throw new ArgumentException("MaxPriorityFeePerGas cannot exceed MaxFeePerGas.", nameof(request));
        }

        var nonce = request.Nonce ?? await NonceSource.GetNextNonceAsync(_signer.Address, cancellationToken);
        return new Transaction1559
        {
            ChainId = ChainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas,
            MaxFeePerGas = fees.MaxFeePerGas,
            GasLimit = gas,
            To = request.To,
            Value = request.Value,
            Data = request.Data,
            AccessList = request.AccessList,
        };
    }

    /// <summary>Builds and signs; nothing is sent. Store <see cref="SignedTransaction.GetRawTransactionHex"/> before broadcasting.</summary>
    public async Task<SignedTransaction> SignTransactionAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        var transaction = await BuildTransactionAsync(request, cancellationToken);
        return await _signer.SignTransactionAsync(transaction, cancellationToken);
    }

    /// <summary>
    /// Broadcasts a signed transaction and returns its hash. "Already known" counts as success: re-broadcasting the same
    /// bytes after a crash or timeout is the normal recovery path.
    /// </summary>
    public async Task<string> SendRawTransactionAsync(SignedTransaction signedTransaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signedTransaction);
        var expectedHash = signedTransaction.TransactionHash;
        try
        {
            var hash = await _api.SendRawTransactionAsync(signedTransaction.GetRawTransactionHex(), cancellationToken);
            if (!string.Equals(hash, expectedHash, StringComparison.OrdinalIgnoreCase))
            {
                throw new RpcTransportException("eth_sendRawTransaction", null, $"the node reported hash {hash}, expected {expectedHash}");
            }

            return expectedHash;
        }
        catch (RpcException ex) when (ex.Kind == RpcErrorKind.AlreadyKnown)
        {
            return expectedHash;
        }
    }

    /// <summary>Builds, signs and sends; returns the transaction hash.</summary>
    public async Task<string> SendTransactionAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        var signed = await SignTransactionAsync(request, cancellationToken);
        return await SendRawTransactionAsync(signed, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<TransactionReceipt> SendTransactionAndWaitForReceiptAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        var hash = await SendTransactionAsync(request, cancellationToken);
        return await TransactionReceiptService.PollForReceiptAsync(hash, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<TransactionReceipt> DeployContractAndWaitForReceiptAsync<TDeployment>(TDeployment deployment, CancellationToken cancellationToken = default)
        where TDeployment : ContractDeploymentMessage
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var request = deployment.CreateTransactionRequest(to: null, deployment.GetDeploymentData());
        // Sign, then send: the signed transaction carries the nonce, which fixes the contract's address in advance.
        var signed = await SignTransactionAsync(request, cancellationToken);
        var hash = await SendRawTransactionAsync(signed, cancellationToken);
        var receipt = await TransactionReceiptService.PollForReceiptAsync(hash, cancellationToken);
        if (receipt.Succeeded())
        {
            var expected = ContractUtils.CalculateContractAddress(Account, signed.Nonce);
            if (!EthereumAddress.TryParse(receipt.ContractAddress, out var address) || address != expected)
            {
                throw new InvalidOperationException(
                    $"The receipt of {hash} reports contract address {receipt.ContractAddress ?? "(none)"}, but deploying from {Account} with nonce {signed.Nonce} creates {expected}.");
            }
        }

        return receipt;
    }

    // A setting the transaction type cannot carry is an error, never silently dropped.
    private static void CheckFeeFields(TransactionRequest request)
    {
        if (request.GasPrice is { } gasPrice)
        {
            if (request.MaxFeePerGas.HasValue || request.MaxPriorityFeePerGas.HasValue)
            {
                throw new ArgumentException(
                    "GasPrice (a legacy transaction) cannot be combined with MaxFeePerGas or MaxPriorityFeePerGas (EIP-1559); set one kind.", nameof(request));
            }

            if (request.AccessList.Count > 0)
            {
                throw new ArgumentException("A legacy transaction (GasPrice) has no access list; leave AccessList empty or use EIP-1559 fees.", nameof(request));
            }

            if (gasPrice.Sign < 0)
            {
                throw new ArgumentException("GasPrice cannot be negative.", nameof(request));
            }
        }
        else if (request.MaxFeePerGas.HasValue != request.MaxPriorityFeePerGas.HasValue)
        {
            throw new ArgumentException("Set both MaxFeePerGas and MaxPriorityFeePerGas, or neither.", nameof(request));
        }
    }
}
