using System.Numerics;

namespace DepinMarket.Chain.Rpc;

/// <summary>
/// The eth_* calls the product uses. An interface so the transaction manager and receipt service can be tested with
/// a fake node, and so Nethereum's <c>IEthApiService</c> can later sit behind it.
/// Every call takes a <see cref="CancellationToken"/> and fails with an <see cref="RpcException"/> subtype, never a bare string.
/// </summary>
public interface IEthApi
{
    /// <summary>eth_chainId.</summary>
    Task<BigInteger> ChainIdAsync(CancellationToken cancellationToken = default);

    /// <summary>eth_blockNumber.</summary>
    Task<BigInteger> BlockNumberAsync(CancellationToken cancellationToken = default);

    /// <summary>eth_getBalance in wei.</summary>
    Task<BigInteger> GetBalanceAsync(string address, BlockParameter? block = null, CancellationToken cancellationToken = default);

    /// <summary>eth_getTransactionCount; the default block (null) is "pending", i.e. the next usable nonce.</summary>
    Task<BigInteger> GetTransactionCountAsync(string address, BlockParameter? block = null, CancellationToken cancellationToken = default);

    /// <summary>eth_estimateGas.</summary>
    Task<BigInteger> EstimateGasAsync(CallInput callInput, CancellationToken cancellationToken = default);

    /// <summary>eth_feeHistory.</summary>
    Task<FeeHistory> FeeHistoryAsync(int blockCount, BlockParameter newestBlock, IReadOnlyList<double>? rewardPercentiles, CancellationToken cancellationToken = default);

    /// <summary>eth_maxPriorityFeePerGas (not every node has it).</summary>
    Task<BigInteger> MaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default);

    /// <summary>eth_call; returns the return data as 0x-hex.</summary>
    Task<string> CallAsync(CallInput callInput, BlockParameter? block = null, CancellationToken cancellationToken = default);

    /// <summary>eth_sendRawTransaction; returns the transaction hash.</summary>
    Task<string> SendRawTransactionAsync(string signedTransactionHex, CancellationToken cancellationToken = default);

    /// <summary>eth_getTransactionReceipt; null while the transaction is not mined (or unknown).</summary>
    Task<TransactionReceipt?> GetTransactionReceiptAsync(string transactionHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// eth_getTransactionByHash: the transaction as the node knows it (pending in its pool, or mined), null when the
    /// node does not know it (never received, or dropped from the pool). The default implementation says the call is
    /// not supported, so implementations written before it (test fakes) keep compiling.
    /// </summary>
    Task<Transaction?> GetTransactionByHashAsync(string transactionHash, CancellationToken cancellationToken = default) =>
        Task.FromException<Transaction?>(new NotSupportedException($"{GetType().Name} does not implement eth_getTransactionByHash."));

    /// <summary>eth_getLogs.</summary>
    Task<IReadOnlyList<FilterLog>> GetLogsAsync(NewFilterInput filter, CancellationToken cancellationToken = default);

    /// <summary>eth_getBlockByNumber with transaction hashes only; null when the block does not exist yet.</summary>
    Task<Block?> GetBlockByNumberAsync(BlockParameter block, CancellationToken cancellationToken = default);

    /// <summary>
    /// eth_getCode: the runtime code at <paramref name="address"/> as 0x-hex, "0x" when there is none (an account
    /// without code, or a contract on a chain that was reset). The default implementation says the call is not
    /// supported, so implementations written before it (test fakes) keep compiling.
    /// </summary>
    Task<string> GetCodeAsync(string address, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        Task.FromException<string>(new NotSupportedException($"{GetType().Name} does not implement eth_getCode."));
}
