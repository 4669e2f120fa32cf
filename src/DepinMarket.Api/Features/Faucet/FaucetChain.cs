using DepinMarket.Api.Hosting;
using DepinMarket.Chain;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.TransactionManagement;
using DepinMarket.Domain;
using Npgsql;

namespace DepinMarket.Api.Features.Faucet;

/// <summary>What the faucet needs from the chain: a node, the token owner's transaction manager and the token.</summary>
internal sealed record FaucetChain(ChainClient Client, ITransactionManager Manager, IContractHandler Token, ChainOptions Options)
{
    /// <summary>The faucet's chain, or the reason there is none: no chain (503), not a test network (403), not set up (503).</summary>
    public static FaucetChain From(MarketChain chain)
    {
        if (chain.Client is null)
        {
            throw new DomainException(DomainErrorKind.Unavailable, "No chain configured.", "This API runs without a chain (Chain:RpcUrl is not set), so there is no faucet.");
        }
        if (!chain.Options.IsTestNet)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "No faucet on this chain.",
                $"Chain {chain.Options.ChainId} is not a test network; the faucet only runs on local and test networks.");
        }
        if (chain.Client.TransactionManager is not { } manager || chain.Token is not { } token)
        {
            throw new DomainException(DomainErrorKind.Unavailable, "Faucet not set up.",
                "The faucet needs the token address (Chain:TokenAddress, written by 'chain deploy') and the token owner's key (Chain__SettlerPrivateKey).");
        }
        return new FaucetChain(chain.Client, manager, chain.Client.GetContractHandler(token), chain.Options);
    }

    /// <summary>The settler key's shared sender lock, broadcast and in-doubt lookup, which mints go through like every settler transaction.</summary>
    public SettlerTransactions Settler(NpgsqlDataSource dataSource) => new(Client, Manager, Options, dataSource);
}
