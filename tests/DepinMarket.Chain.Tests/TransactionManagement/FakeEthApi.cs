using System.Numerics;
using DepinMarket.Chain.Rpc;

namespace DepinMarket.Chain.Tests.TransactionManagement;

/// <summary>An in-memory stand-in for the node, scripted per test; records what was sent.</summary>
internal sealed class FakeEthApi : IEthApi
{
    public BigInteger ChainId { get; set; } = 31337;

    public BigInteger Head { get; set; } = 100;

    public BigInteger PendingNonce { get; set; } = 7;

    public BigInteger GasEstimate { get; set; } = 50_000;

    public FeeHistory History { get; set; } = new()
    {
        OldestBlock = 90,
        BaseFeePerGas = [1_000_000_000, 1_100_000_000, 1_200_000_000],
        GasUsedRatio = [0.5, 0.6],
        Reward = [[2_000_000_000], [3_000_000_000]],
    };

    public Func<string, TransactionReceipt?> Receipts { get; set; } = _ => null;

    public Func<string, string>? OnSendRaw { get; set; }

    public List<string> SentRawTransactions { get; } = [];

    public List<CallInput> Estimates { get; } = [];

    public int ReceiptCalls { get; private set; }

    public Task<BigInteger> ChainIdAsync(CancellationToken cancellationToken = default) => Task.FromResult(ChainId);

    public Task<BigInteger> BlockNumberAsync(CancellationToken cancellationToken = default) => Task.FromResult(Head);

    public Task<BigInteger> GetBalanceAsync(string address, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(BigInteger.Zero);

    public Task<BigInteger> GetTransactionCountAsync(string address, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(PendingNonce);

    public Task<BigInteger> EstimateGasAsync(CallInput callInput, CancellationToken cancellationToken = default)
    {
        Estimates.Add(callInput);
        return Task.FromResult(GasEstimate);
    }

    public int FeeHistoryCalls { get; private set; }

    public Task<FeeHistory> FeeHistoryAsync(int blockCount, BlockParameter newestBlock, IReadOnlyList<double>? rewardPercentiles, CancellationToken cancellationToken = default)
    {
        FeeHistoryCalls++;
        return Task.FromResult(History);
    }

    public Task<BigInteger> MaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new BigInteger(1_500_000_000));

    public string CallResult { get; set; } = "0x";

    public List<CallInput> Calls { get; } = [];

    public IReadOnlyList<FilterLog> Logs { get; set; } = [];

    public List<NewFilterInput> LogFilters { get; } = [];

    public Task<string> CallAsync(CallInput callInput, BlockParameter? block = null, CancellationToken cancellationToken = default)
    {
        Calls.Add(callInput);
        return Task.FromResult(CallResult);
    }

    public Task<string> SendRawTransactionAsync(string signedTransactionHex, CancellationToken cancellationToken = default)
    {
        SentRawTransactions.Add(signedTransactionHex);
        return Task.FromResult(OnSendRaw is null
            ? Chain.Transactions.TransactionFactory.CreateTransaction(signedTransactionHex).TransactionHash
            : OnSendRaw(signedTransactionHex));
    }

    public Task<TransactionReceipt?> GetTransactionReceiptAsync(string transactionHash, CancellationToken cancellationToken = default)
    {
        ReceiptCalls++;
        return Task.FromResult(Receipts(transactionHash));
    }

    public Task<IReadOnlyList<FilterLog>> GetLogsAsync(NewFilterInput filter, CancellationToken cancellationToken = default)
    {
        LogFilters.Add(filter);
        return Task.FromResult(Logs);
    }

    public Task<Block?> GetBlockByNumberAsync(BlockParameter block, CancellationToken cancellationToken = default) =>
        Task.FromResult<Block?>(new Block { Number = Head, BaseFeePerGas = 1_000_000_000 });
}
