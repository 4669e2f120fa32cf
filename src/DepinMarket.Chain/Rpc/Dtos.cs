using System.Numerics;
using System.Text.Json.Serialization;

namespace DepinMarket.Chain.Rpc;

/// <summary>A log entry as eth_getLogs and receipts return it (Nethereum: <c>FilterLog</c>).</summary>
public sealed class FilterLog
{
    public string Address { get; init; } = string.Empty;

    public IReadOnlyList<string> Topics { get; init; } = [];

    public string Data { get; init; } = "0x";

    public BigInteger? BlockNumber { get; init; }

    public string? BlockHash { get; init; }

    public string? TransactionHash { get; init; }

    public BigInteger? TransactionIndex { get; init; }

    public BigInteger? LogIndex { get; init; }

    /// <summary>True when a reorg removed the log (only seen on filters/subscriptions).</summary>
    public bool Removed { get; init; }
}

/// <summary>A transaction as eth_getTransactionByHash returns it (Nethereum: <c>Transaction</c>); the fields the product reads.</summary>
public sealed class Transaction
{
    public string Hash { get; init; } = string.Empty;

    public BigInteger Nonce { get; init; }

    public string From { get; init; } = string.Empty;

    public string? To { get; init; }

    /// <summary>Null while the transaction waits in the node's pool.</summary>
    public string? BlockHash { get; init; }

    /// <summary>Null while the transaction waits in the node's pool.</summary>
    public BigInteger? BlockNumber { get; init; }

    /// <summary>True while the transaction waits in the node's pool, not yet in a block.</summary>
    public bool IsPending => BlockNumber is null;
}

/// <summary>A mined transaction's receipt (Nethereum: <c>TransactionReceipt</c>).</summary>
public sealed class TransactionReceipt
{
    public string TransactionHash { get; init; } = string.Empty;

    public BigInteger TransactionIndex { get; init; }

    public string BlockHash { get; init; } = string.Empty;

    public BigInteger BlockNumber { get; init; }

    public string From { get; init; } = string.Empty;

    public string? To { get; init; }

    public BigInteger CumulativeGasUsed { get; init; }

    public BigInteger GasUsed { get; init; }

    public BigInteger? EffectiveGasPrice { get; init; }

    public string? ContractAddress { get; init; }

    /// <summary>1 success, 0 reverted (post-Byzantium).</summary>
    public BigInteger? Status { get; init; }

    public BigInteger? Type { get; init; }

    public string? LogsBloom { get; init; }

    public IReadOnlyList<FilterLog> Logs { get; init; } = [];

    /// <summary>True when the transaction executed without reverting (status 1). Nethereum: <c>receipt.Succeeded()</c>.</summary>
    public bool Succeeded() => Status == BigInteger.One;

    /// <summary>True when the transaction reverted (status 0).</summary>
    public bool HasErrors() => Status == BigInteger.Zero;
}

/// <summary>A block with transaction hashes only (eth_getBlockByNumber with full=false).</summary>
public sealed class Block
{
    public BigInteger Number { get; init; }

    public string Hash { get; init; } = string.Empty;

    public string ParentHash { get; init; } = string.Empty;

    public BigInteger Timestamp { get; init; }

    public BigInteger GasLimit { get; init; }

    public BigInteger GasUsed { get; init; }

    /// <summary>Null before London (and on chains without EIP-1559).</summary>
    public BigInteger? BaseFeePerGas { get; init; }

    public string? Miner { get; init; }

    public IReadOnlyList<string> Transactions { get; init; } = [];
}

/// <summary>eth_feeHistory result.</summary>
public sealed class FeeHistory
{
    public BigInteger OldestBlock { get; init; }

    /// <summary>Base fees of the requested blocks plus the next block's (one more entry than blocks).</summary>
    public IReadOnlyList<BigInteger> BaseFeePerGas { get; init; } = [];

    public IReadOnlyList<double> GasUsedRatio { get; init; } = [];

    /// <summary>Per block, the priority fee at each requested percentile.</summary>
    public IReadOnlyList<IReadOnlyList<BigInteger>>? Reward { get; init; }
}

/// <summary>
/// Arguments of eth_call / eth_estimateGas (Nethereum: <c>CallInput</c>/<c>TransactionInput</c>).
/// Quantities are written as hex; null fields are omitted.
/// </summary>
public sealed class CallInput
{
    public string? From { get; init; }

    public string? To { get; init; }

    // "data" rather than the newer "input": every node (geth, anvil, Nethermind, Erigon, providers) accepts it.
    [JsonPropertyName("data")]
    public string? Data { get; init; }

    public BigInteger? Value { get; init; }

    public BigInteger? Gas { get; init; }

    public BigInteger? GasPrice { get; init; }

    public BigInteger? MaxFeePerGas { get; init; }

    public BigInteger? MaxPriorityFeePerGas { get; init; }

    public BigInteger? Nonce { get; init; }
}

/// <summary>eth_getLogs filter (Nethereum: <c>NewFilterInput</c>).</summary>
public sealed class NewFilterInput
{
    /// <summary>First block (inclusive). Defaults to latest, not earliest: an unset range must not scan the whole chain.</summary>
    public BlockParameter FromBlock { get; init; } = BlockParameter.Latest;

    /// <summary>Last block (inclusive).</summary>
    public BlockParameter ToBlock { get; init; } = BlockParameter.Latest;

    /// <summary>Contract address(es) that emitted the logs; null for any.</summary>
    public IReadOnlyList<string>? Address { get; init; }

    /// <summary>
    /// Topic filters by position: null matches anything, a string matches that value, a string list matches any of them.
    /// </summary>
    public IReadOnlyList<object?>? Topics { get; init; }
}
