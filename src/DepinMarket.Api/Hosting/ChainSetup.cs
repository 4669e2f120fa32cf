using DepinMarket.Chain;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Signing;
using DepinMarket.Chain.Util;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// The marketplace's view of its EVM chain: the RPC client, the settler's signer (when a key is configured)
/// and the deployed contract addresses. The chain is optional: with no Chain:RpcUrl the API serves the
/// marketplace and says the chain is not configured wherever the chain is needed.
/// </summary>
public sealed class MarketChain
{
    public MarketChain(IHttpClientFactory httpClients, IOptions<ChainOptions> options, IConfiguration configuration)
    {
        Options = options.Value;
        if (Options.RpcUrl is null)
        {
            return;
        }
        // The key comes from configuration or the environment (Chain__SettlerPrivateKey), never from the repo,
        // and is kept only inside the signer.
        var key = configuration["Chain:SettlerPrivateKey"];
        Signer = string.IsNullOrWhiteSpace(key) ? null : new LocalEthSigner(new EthECKey(key.Trim()));
        Client = new ChainClient(httpClients.CreateClient(HttpClientName), Options, Signer);
    }

    public const string HttpClientName = "chain";

    public ChainOptions Options { get; }

    /// <summary>Null when no RPC URL is configured.</summary>
    public ChainClient? Client { get; }

    /// <summary>The settler's signer; null when no key is configured (read-only chain access).</summary>
    public IEthSigner? Signer { get; }

    public EthereumAddress? Token => Parse(Options.TokenAddress);

    public EthereumAddress? Vault => Parse(Options.VaultAddress);

    private static EthereumAddress? Parse(string? address) => address is null ? null : EthereumAddress.Parse(address);
}

public static class ChainSetup
{
    public static WebApplicationBuilder AddMarketChain(this WebApplicationBuilder builder)
    {
        AddDeploymentFile(builder.Configuration);
        builder.Services.AddOptions<ChainOptions>()
            .Bind(builder.Configuration.GetSection("Chain"))
            .Validate(o => o.RpcUrl is null || o.Validate().Count == 0, "Chain configuration is invalid: check Chain:RpcUrl, ChainId, addresses.")
            .ValidateOnStart();
        builder.Services.AddHttpClient(MarketChain.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Chain.Rpc.RpcHttpMessageHandlerFactory.Create());
        builder.Services.AddSingleton<MarketChain>();
        return builder;
    }

    /// <summary>
    /// `DepinMarket.Api chain deploy` writes the contract addresses to Chain:DeploymentFile; the API reads them
    /// from it. The file ranks below the environment and the command line, right after the appsettings files:
    /// an operator who sets Chain__TokenAddress means it, whatever an old deployment file says.
    /// </summary>
    private static void AddDeploymentFile(ConfigurationManager configuration)
    {
        if (configuration["Chain:DeploymentFile"] is not { Length: > 0 } deployment)
        {
            return;
        }
        var file = new JsonConfigurationSource { Path = Path.GetFullPath(deployment), Optional = true, ReloadOnChange = false };
        file.ResolveFileProvider();
        var sources = configuration.Sources;
        var afterSettingsFiles = sources.Select((source, index) => (source, index))
            .Where(s => s.source is FileConfigurationSource)
            .Select(s => s.index + 1)
            .DefaultIfEmpty(0)
            .Max();
        sources.Insert(afterSettingsFiles, file);
    }
}
