using System.Globalization;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.DepositWatcher;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Features.Settlement;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

/// <summary>
/// The settlement benchmark's chain and API: a fresh DepinToken and DepinVault (dev account 0 deploys and
/// administers, dev account 1 is the vault's settler, as in the gas benchmark), and the API's own service
/// registrations for settling on it: <c>AddMarketData</c>, <c>AddMarketChain</c> (the settler key, the addresses,
/// confirmation depth 1), <c>AddDepositWatcher</c> (its vault reconciliation joins the ledger check) and
/// <c>AddSettlement</c> with the background service off (Settlement:Enabled false): the benchmark calls the
/// worker's passes itself. Nothing is started; no HTTP is served.
/// </summary>
internal static class SettlementHost
{
    private const int Deployer = 0;
    private const int Settler = 1;

    public static async Task<(DeployedContracts Contracts, ChainClient Deployer, long ChainId)> DeployAsync(HttpClient http, Uri rpcUrl, CancellationToken ct)
    {
        var chainId = (long)await new ChainClient(http, new ChainOptions { RpcUrl = rpcUrl, ChainId = 31337 }).Eth.ChainIdAsync(ct);
        var options = new ChainOptions { RpcUrl = rpcUrl, ChainId = chainId, ReceiptPollInterval = TimeSpan.FromMilliseconds(5) };
        var deployer = new ChainClient(http, options, new LocalEthSigner(AnvilProcess.DevKeys[Deployer]));
        var settler = new LocalEthSigner(AnvilProcess.DevKeys[Settler]).Address;
        var contracts = await MarketContracts.DeployAsync(deployer, deployer.TransactionManager!.Account, settler, ct);
        return (contracts, deployer, chainId);
    }

    public static WebApplication Build(string connectionString, Uri rpcUrl, long chainId, DeployedContracts contracts, int maxRecipients, string minimumPayout)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Warnings only: EF's per-command lines would be measured too; the worker's warnings (a node that failed) show.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c => c.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Market"] = connectionString,
            ["Chain:RpcUrl"] = rpcUrl.ToString(),
            ["Chain:ChainId"] = chainId.ToString(CultureInfo.InvariantCulture),
            // anvil's dev account 1: a well-known PUBLIC test key, only ever used on this local chain.
            ["Chain:SettlerPrivateKey"] = AnvilProcess.DevKeys[Settler],
            ["Chain:TokenAddress"] = contracts.Token.ToString(),
            ["Chain:VaultAddress"] = contracts.Vault.ToString(),
            ["Chain:DeployedAtBlock"] = contracts.DeployedAtBlock.ToString(CultureInfo.InvariantCulture),
            ["Chain:ConfirmationDepth"] = "1",
            ["Settlement:Enabled"] = "false",
            ["Settlement:MaxRecipientsPerTransaction"] = maxRecipients.ToString(CultureInfo.InvariantCulture),
            ["Settlement:MinimumPayoutTokens"] = minimumPayout,
        };
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMarketData();
        builder.AddMarketChain();
        builder.AddDepositWatcher();
        builder.AddSettlement();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LedgerCheck>();
        return builder.Build();
    }

    /// <summary>One pass of the API's deposit watcher up to the chain's head: the vault reconciliation compares the vault at its last block.</summary>
    public static async Task<long> ScanDepositsAsync(WebApplication app, CancellationToken ct)
    {
        var chain = app.Services.GetRequiredService<MarketChain>();
        var client = chain.Client!;
        var scanner = new DepositScanner(client, client.GetContractHandler(chain.Vault!.Value), chain.Options,
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DepositWatcherOptions>>().Value,
            ulong.Parse(app.Configuration["Chain:DeployedAtBlock"]!, CultureInfo.InvariantCulture),
            app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), app.Services.GetRequiredService<IDepositReferenceResolver>(),
            TimeProvider.System, app.Services.GetRequiredService<ILogger<SettlementWorker>>());
        var (_, scanned) = await scanner.RunAsync(ct);
        return (long)scanned;
    }

    public static Task MigrateAsync(WebApplication app) =>
        new Migrator(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), NullLogger<Migrator>.Instance).ApplyAsync(CancellationToken.None);
}
