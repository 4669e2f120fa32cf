using System.Collections.Frozen;

namespace DepinMarket.Chain;

/// <summary>
/// Chain settings, a plain POCO so the API can bind it with <c>IOptions&lt;ChainOptions&gt;</c> from the "Chain" section
/// without this library depending on Microsoft.Extensions. Moving from anvil to a public testnet is a change of these
/// values only. The signing key is deliberately not here: it goes to the signer, and <see cref="ToString"/> redacts
/// the RPC URL (hosted providers put their API key in it), so these options can be logged.
/// </summary>
public sealed class ChainOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Chain";

    /// <summary>Chain ids of well-known test networks: anvil/hardhat, Sepolia, Holesky, Hoodi, Base/OP/Arbitrum Sepolia, Amoy.</summary>
    public static readonly FrozenSet<long> KnownTestNetworkChainIds =
        new long[] { 31337, 1337, 11155111, 17000, 560048, 84532, 11155420, 421614, 80002 }.ToFrozenSet();

    /// <summary>JSON-RPC endpoint, e.g. http://127.0.0.1:8545.</summary>
    public Uri? RpcUrl { get; set; }

    /// <summary>Chain id transactions are signed for (EIP-155 / EIP-1559); checked against eth_chainId at startup.</summary>
    public long ChainId { get; set; }

    /// <summary>Blocks on top of (and including) the one holding a transaction before it counts as final; 1 = mined.</summary>
    public int ConfirmationDepth { get; set; } = 1;

    /// <summary>Timeout of one JSON-RPC call.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often to poll for a receipt / new blocks.</summary>
    public TimeSpan ReceiptPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for a receipt with enough confirmations before giving up (the caller may then re-broadcast or bump fees).</summary>
    public TimeSpan ReceiptTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>ERC-20 token contract address.</summary>
    public string? TokenAddress { get; set; }

    /// <summary>Settlement vault contract address.</summary>
    public string? VaultAddress { get; set; }

    /// <summary>Explicitly marks the chain as a test network (enables token minting); null decides from <see cref="KnownTestNetworkChainIds"/>.</summary>
    public bool? IsTestNetwork { get; set; }

    /// <summary>Percent added to eth_estimateGas results, because state can change between estimate and inclusion.</summary>
    public int GasHeadroomPercent { get; set; } = 20;

    /// <summary>Blocks of eth_feeHistory the fee strategy looks at.</summary>
    public int FeeHistoryBlockCount { get; set; } = 10;

    /// <summary>Reward percentile taken from eth_feeHistory as the priority fee.</summary>
    public double PriorityFeePercentile { get; set; } = 50;

    /// <summary>Optional ceiling on maxFeePerGas in wei: a guard against paying a fee spike. Null for no ceiling.</summary>
    public long? MaxFeePerGasCapWei { get; set; }

    /// <summary>True when this chain is a test network.</summary>
    public bool IsTestNet => IsTestNetwork ?? KnownTestNetworkChainIds.Contains(ChainId);

    /// <summary>The settings, with the RPC URL redacted to scheme://host:port/*** (its path, query or userinfo may hold an API key).</summary>
    public override string ToString() =>
        $"ChainOptions {{ RpcUrl = {(RpcUrl is null ? "none" : Rpc.RpcEndpoint.Redact(RpcUrl))}, ChainId = {ChainId}, ConfirmationDepth = {ConfirmationDepth}, " +
        $"TokenAddress = {TokenAddress ?? "none"}, VaultAddress = {VaultAddress ?? "none"}, IsTestNet = {IsTestNet} }}";

    /// <summary>Configuration problems, empty when the options are usable (the API can wrap this in IValidateOptions).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (RpcUrl is null || !RpcUrl.IsAbsoluteUri || RpcUrl.Scheme is not ("http" or "https"))
        {
            // Never the URL itself: it may hold the provider's API key.
            errors.Add($"Chain:RpcUrl must be an absolute http(s) URL; got {(RpcUrl is null ? "none" : Rpc.RpcEndpoint.Redact(RpcUrl))}.");
        }

        if (ChainId <= 0)
        {
            errors.Add("Chain:ChainId must be positive.");
        }

        if (ConfirmationDepth < 1)
        {
            errors.Add("Chain:ConfirmationDepth must be at least 1.");
        }

        if (RequestTimeout <= TimeSpan.Zero || ReceiptPollInterval <= TimeSpan.Zero || ReceiptTimeout <= TimeSpan.Zero)
        {
            errors.Add("Chain:RequestTimeout, ReceiptPollInterval and ReceiptTimeout must be positive.");
        }

        if (GasHeadroomPercent is < 0 or > 500)
        {
            errors.Add("Chain:GasHeadroomPercent must be between 0 and 500.");
        }

        foreach (var (name, value) in new[] { ("TokenAddress", TokenAddress), ("VaultAddress", VaultAddress) })
        {
            if (value is not null && !Util.EthereumAddress.TryParse(value, out _, out var error))
            {
                errors.Add($"Chain:{name}: {Util.InvalidAddressException.Describe(error)}.");
            }
        }

        return errors;
    }
}
