using System.Text.Json;
using System.Text.Json.Nodes;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Util;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// `DepinMarket.Api chain deploy [--fund ADDRESS ...]`: deploys the token and the vault with the settler key
/// (which becomes token owner, vault admin and settler), mints demo funds, and writes the addresses to
/// Chain:DeploymentFile, where the API reads them at start. A deployment that still has code on the chain
/// is kept: anvil forgets everything when it stops, a testnet does not.
/// </summary>
internal static class ChainDeployment
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task RunAsync(IServiceProvider services, string[] args, CancellationToken cancellationToken)
    {
        var chain = services.GetRequiredService<MarketChain>();
        var configuration = services.GetRequiredService<IConfiguration>();
        var logger = services.GetRequiredService<ILogger<MarketChain>>();
        if (chain.Client is null || chain.Signer is null)
        {
            throw new InvalidOperationException("chain deploy needs Chain:RpcUrl and Chain__SettlerPrivateKey.");
        }
        var file = configuration["Chain:DeploymentFile"] is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : throw new InvalidOperationException("chain deploy needs Chain:DeploymentFile, the file to write the addresses to.");
        await chain.Client.VerifyChainIdAsync(cancellationToken);

        if (chain.Token is { } token && chain.Vault is { } vault &&
            await MarketContracts.IsDeployedAsync(chain.Client, new DeployedContracts(token, vault, 0), cancellationToken))
        {
            logger.LogInformation("Contracts already deployed on chain {ChainId}: token {Token}, vault {Vault}", chain.Options.ChainId, token, vault);
            return;
        }

        var deployed = await MarketContracts.DeployAsync(chain.Client, chain.Signer.Address, chain.Signer.Address, cancellationToken);
        var document = new JsonObject
        {
            ["Chain"] = new JsonObject
            {
                ["TokenAddress"] = deployed.Token.ToString(),
                ["VaultAddress"] = deployed.Vault.ToString(),
                ["DeployedAtBlock"] = deployed.DeployedAtBlock,
                ["DeployedOnChainId"] = chain.Options.ChainId,
            },
        };
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, document.ToJsonString(Indented), cancellationToken);
        logger.LogInformation("Deployed token {Token} and vault {Vault} at block {Block}; addresses written to {File}",
            deployed.Token, deployed.Vault, deployed.DeployedAtBlock, file);

        var funding = TokenAmount.FromWholeTokens(50_000);
        foreach (var address in FundArguments(args))
        {
            var hash = await MarketContracts.MintAsync(chain.Client, deployed.Token, address, funding.BaseUnits, cancellationToken);
            logger.LogInformation("Funded {Address} with {Amount} tokens ({Transaction})", address, funding, hash);
        }
    }

    private static IEnumerable<EthereumAddress> FundArguments(string[] args)
    {
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--fund")
            {
                yield return EthereumAddress.Parse(args[i + 1]);
            }
        }
    }
}
