using System.Numerics;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.TransactionManagement;
using DepinMarket.Chain.Transactions;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Contracts;

/// <summary>
/// Typed access to one contract (Nethereum: <c>web3.Eth.GetContractHandler(address)</c>): queries via eth_call,
/// transactions via the <see cref="TransactionManager"/>.
/// </summary>
public sealed class ContractHandler
{
    private readonly IEthApi _api;
    private readonly TransactionManager? _transactionManager;
    private readonly TransactionReceiptPollingService? _receipts;
    private readonly int _confirmations;
    private readonly TimeSpan _receiptTimeout;

    /// <summary>
    /// Handler for <paramref name="contractAddress"/>. Without a transaction manager it can only query; without a receipt
    /// service it cannot wait for receipts.
    /// </summary>
    public ContractHandler(
        EthereumAddress contractAddress,
        IEthApi api,
        TransactionManager? transactionManager = null,
        TransactionReceiptPollingService? receipts = null,
        int confirmations = 1,
        TimeSpan? receiptTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentOutOfRangeException.ThrowIfLessThan(confirmations, 1);
        ContractAddress = contractAddress;
        _api = api;
        _transactionManager = transactionManager;
        _receipts = receipts;
        _confirmations = confirmations;
        _receiptTimeout = receiptTimeout ?? TimeSpan.FromMinutes(5);
    }

    /// <summary>The contract's address.</summary>
    public EthereumAddress ContractAddress { get; }

    /// <summary>The transaction request for a function message (its optional gas/fee/nonce fields carried over).</summary>
    public TransactionRequest CreateTransactionRequest(FunctionMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.CreateTransactionRequest(ContractAddress, message.GetCallData());
    }

    /// <summary>Signs the call without sending it (store it, then <see cref="TransactionManager.SendRawTransactionAsync"/>).</summary>
    public Task<SignedTransaction> SignTransactionAsync<TFunction>(TFunction message, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage =>
        RequireTransactionManager().SignTransactionAsync(CreateTransactionRequest(message), cancellationToken);

    /// <summary>Sends the call as a transaction; returns its hash.</summary>
    public Task<string> SendRequestAsync<TFunction>(TFunction message, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage =>
        RequireTransactionManager().SendTransactionAsync(CreateTransactionRequest(message), cancellationToken);

    /// <summary>Sends the call and waits for its receipt with the configured confirmations (check <see cref="TransactionReceipt.Succeeded"/>).</summary>
    public async Task<TransactionReceipt> SendRequestAndWaitForReceiptAsync<TFunction>(TFunction message, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage
    {
        var receipts = _receipts ?? throw new InvalidOperationException("This handler has no receipt service.");
        var hash = await SendRequestAsync(message, cancellationToken);
        return await receipts.PollForReceiptAsync(hash, _confirmations, _receiptTimeout, cancellationToken);
    }

    /// <summary>Gas estimate for the call (with the manager's headroom when there is one).</summary>
    public async Task<BigInteger> EstimateGasAsync<TFunction>(TFunction message, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage
    {
        if (_transactionManager is not null)
        {
            return await _transactionManager.EstimateGasAsync(CreateTransactionRequest(message), cancellationToken);
        }

        return await _api.EstimateGasAsync(ToCallInput(message), cancellationToken);
    }

    /// <summary>
    /// eth_call of the function, decoded to <typeparamref name="TOutput"/>: a [FunctionOutput] DTO or the first return
    /// value. A revert surfaces as <see cref="RpcRevertException"/>.
    /// </summary>
    public async Task<TOutput> QueryAsync<TFunction, TOutput>(TFunction? message = null, BlockParameter? block = null, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new()
    {
        message ??= new TFunction();
        var result = await _api.CallAsync(ToCallInput(message), block ?? BlockParameter.Latest, cancellationToken);
        return FunctionOutputDecoder.Decode<TFunction, TOutput>(result.HexToByteArray());
    }

    /// <summary>Nethereum's name for querying into a [FunctionOutput] DTO; same as <see cref="QueryAsync{TFunction, TOutput}"/>.</summary>
    public Task<TOutput> QueryDeserializingToObjectAsync<TFunction, TOutput>(TFunction? message = null, BlockParameter? block = null, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new() => QueryAsync<TFunction, TOutput>(message, block, cancellationToken);

    /// <summary>
    /// eth_getLogs for <typeparamref name="TEvent"/> emitted by this contract between two blocks (inclusive), decoded.
    /// Keep ranges modest: providers cap the number of blocks or results per call.
    /// </summary>
    public async Task<List<EventLog<TEvent>>> GetEventsAsync<TEvent>(BlockParameter fromBlock, BlockParameter toBlock, CancellationToken cancellationToken = default)
        where TEvent : Abi.IEventDTO, new()
    {
        var filter = new NewFilterInput
        {
            FromBlock = fromBlock,
            ToBlock = toBlock,
            Address = [ContractAddress.ToString()],
            Topics = [Abi.AbiTypedRegistry.GetEvent<TEvent>().Topic0Hex],
        };
        var logs = await _api.GetLogsAsync(filter, cancellationToken);
        return logs.DecodeAllEvents<TEvent>();
    }

    private CallInput ToCallInput(FunctionMessage message) => new()
    {
        From = message.FromAddress ?? _transactionManager?.Account.ToString(),
        To = ContractAddress.ToString(),
        Data = message.GetCallDataHex(),
        Value = message.AmountToSend.IsZero ? null : message.AmountToSend,
        Gas = message.Gas,
    };

    private TransactionManager RequireTransactionManager() =>
        _transactionManager ?? throw new InvalidOperationException("This handler has no transaction manager (read-only).");
}
