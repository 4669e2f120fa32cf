using System.Numerics;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.TransactionManagement;
using DepinMarket.Chain.Transactions;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Contracts;

/// <summary>
/// Typed access to one contract (Nethereum: <c>web3.Eth.GetContractHandler(address)</c>): queries via eth_call,
/// transactions via the <see cref="ITransactionManager"/>, receipts via the <see cref="ITransactionReceiptService"/>.
/// </summary>
public sealed class ContractHandler : IContractHandler
{
    private readonly IEthApi _api;
    private readonly ITransactionManager? _transactionManager;
    private readonly ITransactionReceiptService? _receipts;

    /// <summary>
    /// Handler for <paramref name="contractAddress"/>. Without a transaction manager it can only query. Receipts are
    /// awaited with <paramref name="receipts"/>, or else the transaction manager's receipt service.
    /// </summary>
    public ContractHandler(
        EthereumAddress contractAddress,
        IEthApi api,
        ITransactionManager? transactionManager = null,
        ITransactionReceiptService? receipts = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ContractAddress = contractAddress;
        _api = api;
        _transactionManager = transactionManager;
        _receipts = receipts ?? transactionManager?.TransactionReceiptService;
    }

    /// <inheritdoc />
    public EthereumAddress ContractAddress { get; }

    /// <inheritdoc />
    public TransactionRequest CreateTransactionRequest(FunctionMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.CreateTransactionRequest(ContractAddress, message.GetCallData());
    }

    /// <inheritdoc />
    public Task<SignedTransaction> SignTransactionAsync<TFunction>(TFunction message, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage =>
        RequireTransactionManager().SignTransactionAsync(CreateTransactionRequest(message), cancellationToken);

    /// <inheritdoc />
    public Task<string> SendRequestAsync<TFunction>(TFunction message, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage =>
        RequireTransactionManager().SendTransactionAsync(CreateTransactionRequest(message), cancellationToken);

    /// <inheritdoc />
    public async Task<TransactionReceipt> SendRequestAndWaitForReceiptAsync<TFunction>(TFunction message, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage
    {
        var receipts = _receipts ?? throw new InvalidOperationException("This handler has no receipt service.");
        var hash = await SendRequestAsync(message, cancellationToken);
        return await receipts.PollForReceiptAsync(hash, cancellationToken);
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

    private ITransactionManager RequireTransactionManager() =>
        _transactionManager ?? throw new InvalidOperationException("This handler has no transaction manager (read-only).");
}
