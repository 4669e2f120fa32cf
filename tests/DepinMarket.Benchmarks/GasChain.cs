using System.Numerics;
using System.Security.Cryptography;
using DepinMarket.Chain;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Signing;
using DepinMarket.Chain.Util;
using Token = DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using Vault = DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;

/// <summary>
/// Fresh DepinToken and DepinVault on one anvil node for the gas benchmark, through the product's own Chain library:
/// dev account 0 deploys (token owner, vault admin), account 1 is the vault's settler, account 2 holds tokens and
/// sends the plain ERC-20 transfers the payouts are compared with. The vault and account 2 are minted what they pay.
/// </summary>
internal sealed class GasChain
{
    public static readonly BigInteger Dpin = BigInteger.Pow(10, 18);

    private GasChain(ChainClient reader, ChainClient settler, ChainClient sender, DeployedContracts contracts)
    {
        Reader = reader;
        Settler = settler;
        Sender = sender;
        Contracts = contracts;
    }

    /// <summary>Read-only: queries, estimates without the library's headroom, blocks.</summary>
    public ChainClient Reader { get; }

    public ChainClient Settler { get; }

    public ChainClient Sender { get; }

    public DeployedContracts Contracts { get; }

    public static async Task<GasChain> DeployAsync(HttpClient http, Uri rpcUrl, CancellationToken ct)
    {
        var probe = new ChainClient(http, Options(rpcUrl, 31337));
        var chainId = (long)await probe.Eth.ChainIdAsync(ct);
        var options = Options(rpcUrl, chainId);
        ChainClient Client(int account) => new(http, options, new LocalEthSigner(AnvilProcess.DevKeys[account]));
        var deployer = Client(0);
        var settler = Client(1);
        var sender = Client(2);
        var contracts = await MarketContracts.DeployAsync(deployer, deployer.TransactionManager!.Account, settler.TransactionManager!.Account, ct);
        // The vault must hold what it pays out: minted straight to its address (a deposit would only add a transfer).
        await MarketContracts.MintAsync(deployer, contracts.Token, contracts.Vault, 1_000_000_000 * Dpin, ct);
        await MarketContracts.MintAsync(deployer, contracts.Token, sender.TransactionManager!.Account, 1_000_000_000 * Dpin, ct);
        return new GasChain(new ChainClient(http, options), settler, sender, contracts);
    }

    /// <summary>Addresses that have never held anything (random 20 bytes).</summary>
    public static EthereumAddress[] FreshAddresses(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new EthereumAddress(RandomNumberGenerator.GetBytes(20)))];

    /// <summary>Realistic earnings: 1 to 100 DPIN with every wei digit used, so calldata is as dense as a real payout's.</summary>
    public static BigInteger[] Amounts(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => Dpin + (new BigInteger(RandomNumberGenerator.GetBytes(9), isUnsigned: true) % (99 * Dpin)))];

    public static Vault.PayoutFunction Payout(IReadOnlyList<EthereumAddress> recipients, IReadOnlyList<BigInteger> amounts, BigInteger? gas = null) => new()
    {
        BatchId = RandomNumberGenerator.GetBytes(32),
        Recipients = [.. recipients.Select(r => r.ToString())],
        Amounts = [.. amounts],
        Gas = gas,
    };

    /// <summary>
    /// Sends a payout and waits for its receipt (mined or reverted). Gas null: the library's path, eth_estimateGas plus
    /// its 20 % headroom; set: exactly that gas limit.
    /// </summary>
    public Task<TransactionReceipt> PayoutAsync(Vault.PayoutFunction payout, CancellationToken ct) =>
        Settler.GetContractHandler(Contracts.Vault).SendRequestAndWaitForReceiptAsync(payout, ct);

    /// <summary>eth_estimateGas of a payout from the settler, without headroom.</summary>
    public Task<BigInteger> EstimateAsync(Vault.PayoutFunction payout, CancellationToken ct)
    {
        payout.FromAddress = Settler.TransactionManager!.Account.ToString();
        return Reader.GetContractHandler(Contracts.Vault).EstimateGasAsync(payout, ct);
    }

    /// <summary>Gives each address 1 DPIN (payout batches of 200), so it is an existing holder when measured.</summary>
    public async Task SeedHoldersAsync(IReadOnlyList<EthereumAddress> holders, CancellationToken ct)
    {
        foreach (var chunk in holders.Chunk(200))
        {
            Require(await PayoutAsync(Payout(chunk, [.. chunk.Select(_ => Dpin)]), ct), "seeding holders");
        }
    }

    /// <summary>One plain ERC-20 transfer from account 2, one transaction.</summary>
    public async Task<TransactionReceipt> TransferAsync(EthereumAddress to, BigInteger amount, CancellationToken ct) =>
        Require(await Sender.GetContractHandler(Contracts.Token).SendRequestAndWaitForReceiptAsync(
            new Token.TransferFunction { To = to.ToString(), Value = amount }, ct), "transfer");

    public Task<BigInteger> BalanceAsync(EthereumAddress holder, CancellationToken ct) =>
        Reader.GetContractHandler(Contracts.Token).QueryAsync<Token.BalanceOfFunction, BigInteger>(new() { Account = holder.ToString() }, cancellationToken: ct);

    /// <summary>The latest block's gas limit, as the node reports it (eth_getBlockByNumber).</summary>
    public async Task<BigInteger> BlockGasLimitAsync(CancellationToken ct) =>
        (await Reader.Eth.GetBlockByNumberAsync(BlockParameter.Latest, ct))!.GasLimit;

    public static TransactionReceipt Require(TransactionReceipt receipt, string what) =>
        receipt.Succeeded() ? receipt : throw new InvalidOperationException($"{what} reverted in {receipt.TransactionHash} (gas used {receipt.GasUsed}).");

    private static ChainOptions Options(Uri rpcUrl, long chainId) => new()
    {
        RpcUrl = rpcUrl,
        ChainId = chainId,
        ConfirmationDepth = 1,
        // anvil mines each transaction at once: poll often, and allow a large batch's estimate and send some time.
        RequestTimeout = TimeSpan.FromSeconds(60),
        ReceiptPollInterval = TimeSpan.FromMilliseconds(5),
        ReceiptTimeout = TimeSpan.FromSeconds(60),
    };
}
