using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Rpc;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DepinMarket.Api.Features.ChainInfo;

/// <param name="Configured">False when the API runs without a chain (no Chain:RpcUrl).</param>
/// <param name="NodeReachable">Whether the RPC node answered just now, with the configured chain id.</param>
/// <param name="LatestBlock">The node's latest block, when it answered.</param>
public sealed record ChainStatusResponse(
    bool Configured, long ChainId, bool IsTestNetwork, bool NodeReachable, long? LatestBlock, string? TokenAddress, string? VaultAddress,
    int ConfirmationDepth);

public static class ChainEndpoints
{
    public static WebApplication MapChainInfo(this WebApplication app)
    {
        app.MapGet("/v1/chain", GetStatus)
            .AllowAnonymous()
            .WithTags("Chain")
            .WithName("GetChainStatus")
            .WithSummary("Which chain settles the marketplace, its token and vault addresses, and whether the node answers");
        return app;
    }

    internal static async Task<Ok<ChainStatusResponse>> GetStatus(MarketChain chain, CancellationToken cancellationToken)
    {
        var options = chain.Options;
        long? block = null;
        var reachable = false;
        if (chain.Client is { } client)
        {
            try
            {
                var chainId = await client.Eth.ChainIdAsync(cancellationToken);
                block = (long)await client.Eth.BlockNumberAsync(cancellationToken);
                reachable = chainId == options.ChainId;
            }
            catch (RpcException)
            {
                reachable = false;
            }
        }
        return TypedResults.Ok(new ChainStatusResponse(
            chain.Client is not null, options.ChainId, options.IsTestNet, reachable, block,
            chain.Token?.ToString(), chain.Vault?.ToString(), options.ConfirmationDepth));
    }
}
