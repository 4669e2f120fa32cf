using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Signing;
using DepinMarket.Chain.TransactionManagement;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain;

/// <summary>
/// Wires the pieces from <see cref="ChainOptions"/>, the way Nethereum's <c>Web3</c> does: the RPC client, the receipt
/// service, a transaction manager for the signer, and contract handlers. Register one per signer as a singleton.
/// </summary>
public sealed class ChainClient
{
    private readonly ChainOptions _options;

    /// <summary>
    /// Client for <paramref name="options"/>. <paramref name="signer"/> may be null for a read-only client.
    /// <paramref name="nonceSource"/> defaults to asking the node for the pending count.
    /// </summary>
    public ChainClient(HttpClient httpClient, ChainOptions options, IEthSigner? signer = null, INonceSource? nonceSource = null, TimeProvider? timeProvider = null)
        : this(new EthJsonRpcClient(httpClient, options), options, signer, nonceSource, timeProvider)
    {
    }

    /// <summary>Client over any <see cref="IEthApi"/> implementation.</summary>
    public ChainClient(IEthApi api, ChainOptions options, IEthSigner? signer = null, INonceSource? nonceSource = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Eth = api;
        TransactionReceiptService = new TransactionReceiptPollingService(api, options, timeProvider);
        TransactionManager = signer is null ? null : new TransactionManager(api, signer, options, nonceSource, receiptService: TransactionReceiptService);
    }

    /// <summary>The eth_* calls.</summary>
    public IEthApi Eth { get; }

    /// <summary>Receipt polling with the configured interval, confirmation depth and timeout.</summary>
    public ITransactionReceiptService TransactionReceiptService { get; }

    /// <summary>Null for a read-only client.</summary>
    public ITransactionManager? TransactionManager { get; }

    /// <summary>A handler for the contract at <paramref name="address"/>, using the configured confirmations and receipt timeout.</summary>
    public IContractHandler GetContractHandler(EthereumAddress address) =>
        new ContractHandler(address, Eth, TransactionManager, TransactionReceiptService);

    /// <summary>Waits for a transaction with the configured confirmation depth and timeout.</summary>
    public Task<TransactionReceipt> WaitForReceiptAsync(string transactionHash, CancellationToken cancellationToken = default) =>
        TransactionReceiptService.PollForReceiptAsync(transactionHash, cancellationToken);

    /// <summary>
    /// Checks that the node serves the configured chain: signing for the wrong chain id produces transactions that
    /// either fail or, worse, are valid on another network. Call it at startup.
    /// </summary>
    /// <exception cref="InvalidOperationException">The ids differ.</exception>
    public async Task VerifyChainIdAsync(CancellationToken cancellationToken = default)
    {
        var actual = await Eth.ChainIdAsync(cancellationToken);
        if (actual != _options.ChainId)
        {
            // The URL may hold the provider's API key: only its redacted form goes into the message.
            throw new InvalidOperationException($"The node at {RpcEndpoint.Redact(_options.RpcUrl)} serves chain {actual}, but Chain:ChainId is {_options.ChainId}.");
        }
    }
}
