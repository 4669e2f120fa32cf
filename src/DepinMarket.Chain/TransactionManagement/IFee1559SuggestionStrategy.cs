using System.Numerics;
using DepinMarket.Chain.Rpc;

namespace DepinMarket.Chain.TransactionManagement;

/// <summary>Suggests EIP-1559 fees (Nethereum: <c>IFee1559SuggestionStrategy</c>).</summary>
public interface IFee1559SuggestionStrategy
{
    /// <summary>Fees for a transaction to be sent now.</summary>
    Task<Fee1559> SuggestFeeAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// maxFeePerGas = 2 × next block's base fee + priority fee. Doubling the base fee keeps the transaction valid through
/// six consecutive full blocks (each may raise the base fee by 12.5%); only base fee + tip is actually paid.
/// The priority fee is the chosen percentile of recent rewards from eth_feeHistory, falling back to
/// eth_maxPriorityFeePerGas, then to 1 gwei when neither gives anything.
/// </summary>
public sealed class FeeHistoryFee1559SuggestionStrategy : IFee1559SuggestionStrategy
{
    /// <summary>Priority fee used when the node gives no data (1 gwei).</summary>
    public static readonly BigInteger FallbackPriorityFee = 1_000_000_000;

    private readonly IEthApi _api;
    private readonly int _blockCount;
    private readonly double _percentile;
    private readonly BigInteger? _maxFeeCap;

    public FeeHistoryFee1559SuggestionStrategy(IEthApi api, int blockCount = 10, double rewardPercentile = 50, BigInteger? maxFeePerGasCap = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockCount, 1);
        if (rewardPercentile is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(rewardPercentile), "A percentile is 0..100.");
        }

        _api = api;
        _blockCount = blockCount;
        _percentile = rewardPercentile;
        _maxFeeCap = maxFeePerGasCap;
    }

    /// <summary>Strategy configured from <see cref="ChainOptions"/>.</summary>
    public FeeHistoryFee1559SuggestionStrategy(IEthApi api, ChainOptions options)
        : this(api, options?.FeeHistoryBlockCount ?? 10, options?.PriorityFeePercentile ?? 50, options?.MaxFeePerGasCapWei)
    {
    }

    /// <inheritdoc />
    /// <exception cref="FeeCapExceededException">The base fee alone is above the configured cap.</exception>
    public async Task<Fee1559> SuggestFeeAsync(CancellationToken cancellationToken = default)
    {
        var history = await _api.FeeHistoryAsync(_blockCount, BlockParameter.Latest, [_percentile], cancellationToken);
        BigInteger baseFee;
        if (history.BaseFeePerGas.Count > 0)
        {
            // The last entry is the base fee of the next block, the one the transaction will compete for.
            baseFee = history.BaseFeePerGas[^1];
        }
        else
        {
            var latest = await _api.GetBlockByNumberAsync(BlockParameter.Latest, cancellationToken);
            baseFee = latest?.BaseFeePerGas ?? throw new InvalidOperationException("The chain reports no base fee; it does not support EIP-1559.");
        }

        var priority = await SuggestPriorityFeeAsync(history, cancellationToken);
        var maxFee = (2 * baseFee) + priority;
        if (_maxFeeCap is { } cap && maxFee > cap)
        {
            if (cap < baseFee + priority)
            {
                throw new FeeCapExceededException(baseFee, priority, cap);
            }

            maxFee = cap;
        }

        return new Fee1559(maxFee, priority, baseFee);
    }

    private async Task<BigInteger> SuggestPriorityFeeAsync(FeeHistory history, CancellationToken cancellationToken)
    {
        var rewards = history.Reward?.Where(r => r.Count > 0).Select(r => r[0]).Where(r => r > 0).Order().ToList() ?? [];
        if (rewards.Count > 0)
        {
            return rewards[rewards.Count / 2];
        }

        try
        {
            var suggested = await _api.MaxPriorityFeePerGasAsync(cancellationToken);
            return suggested > 0 ? suggested : FallbackPriorityFee;
        }
        catch (RpcException ex) when (ex.Kind is RpcErrorKind.Unknown)
        {
            // Some nodes lack eth_maxPriorityFeePerGas (method not found).
            return FallbackPriorityFee;
        }
    }
}

/// <summary>The network's base fee plus tip is above the configured maxFeePerGas cap: sending now would overpay the policy.</summary>
public sealed class FeeCapExceededException : InvalidOperationException
{
    public FeeCapExceededException()
    {
    }

    public FeeCapExceededException(string message)
        : base(message)
    {
    }

    public FeeCapExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FeeCapExceededException(BigInteger baseFee, BigInteger priorityFee, BigInteger cap)
        : base($"Base fee {baseFee} + priority fee {priorityFee} wei is above the cap of {cap} wei per gas.")
    {
        BaseFee = baseFee;
        PriorityFee = priorityFee;
        Cap = cap;
    }

    public BigInteger BaseFee { get; }

    public BigInteger PriorityFee { get; }

    public BigInteger Cap { get; }
}
