using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using DepinMarket.Chain.Util;
using DepinMarket.Domain;
using Npgsql;

namespace DepinMarket.Api.Features.Deposits;

/// <summary>What relayed deposits need from the chain: the token (its permit domain and nonces), the vault, and the settler's transactions.</summary>
internal sealed record DepositChain(MarketChain Market, EthereumAddress TokenAddress, EthereumAddress VaultAddress, IContractHandler Token, IContractHandler Vault)
{
    /// <summary>The chain, or 503 when the API runs without one, without the contracts, or without the settler key.</summary>
    public static DepositChain From(MarketChain chain)
    {
        if (chain.Client is null)
        {
            throw new DomainException(DomainErrorKind.Unavailable, "No chain configured.",
                "This API runs without a chain (Chain:RpcUrl is not set), so it cannot relay deposits.");
        }
        if (chain.Token is not { } token || chain.Vault is not { } vault || chain.Client.TransactionManager is null)
        {
            throw new DomainException(DomainErrorKind.Unavailable, "Deposits not set up.",
                "Relaying a deposit needs the token and vault addresses (Chain:TokenAddress, Chain:VaultAddress, written by 'chain deploy') " +
                "and the settler's key (Chain__SettlerPrivateKey).");
        }
        return new DepositChain(chain, token, vault, chain.Client.GetContractHandler(token), chain.Client.GetContractHandler(vault));
    }

    public long ChainId => Market.Options.ChainId;

    public SettlerTransactions Settler(NpgsqlDataSource dataSource) =>
        new(Market.Client!, Market.Client!.TransactionManager!, Market.Options, dataSource);

    /// <summary>The token's <c>nonces(owner)</c>: the nonce the owner's next permit must carry.</summary>
    public Task<System.Numerics.BigInteger> PermitNonceAsync(EthereumAddress owner, CancellationToken cancellationToken) =>
        Token.QueryAsync<NoncesFunction, System.Numerics.BigInteger>(new() { Owner = owner.ToString() }, cancellationToken: cancellationToken);

    public Task<System.Numerics.BigInteger> BalanceAsync(EthereumAddress owner, CancellationToken cancellationToken) =>
        Token.QueryAsync<BalanceOfFunction, System.Numerics.BigInteger>(new() { Account = owner.ToString() }, cancellationToken: cancellationToken);
}
