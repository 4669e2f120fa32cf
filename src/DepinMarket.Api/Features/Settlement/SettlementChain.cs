using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;
using DepinMarket.Chain.Util;
using DepinMarket.Domain;
using Npgsql;

namespace DepinMarket.Api.Features.Settlement;

/// <summary>What settlement needs from the chain: the vault, the settler's transactions and the confirmation depth.</summary>
internal sealed record SettlementChain(MarketChain Market, EthereumAddress VaultAddress, IContractHandler Vault, SettlerTransactions Settler)
{
    /// <summary>The chain, or 503 when the API runs without one, without the vault, or without the settler key.</summary>
    public static SettlementChain From(MarketChain chain, NpgsqlDataSource dataSource)
    {
        if (chain.Client is not { TransactionManager: { } manager } client || chain.Vault is not { } vault)
        {
            throw new DomainException(DomainErrorKind.Unavailable, "Settlement not set up.",
                "Settling on chain needs a chain (Chain:RpcUrl), the vault's address (written by 'chain deploy') and the settler's key (Chain__SettlerPrivateKey).");
        }
        return new SettlementChain(chain, vault, client.GetContractHandler(vault), new SettlerTransactions(client, manager, chain.Options, dataSource));
    }

    public static bool IsConfigured(MarketChain chain) => chain.Client?.TransactionManager is not null && chain.Vault is not null;

    public long ChainId => Market.Options.ChainId;

    /// <summary>Whether the vault's once-only guard already says this batch ran: the second line of defence.</summary>
    public Task<bool> IsSettledOnChainAsync(Domain.Settlement.SettlementBatch batch, CancellationToken cancellationToken) =>
        batch.Kind == Domain.Settlement.SettlementBatchKind.Payout
            ? Vault.QueryAsync<IsBatchPaidFunction, bool>(new IsBatchPaidFunction { BatchId = batch.ChainId }, cancellationToken: cancellationToken)
            : Vault.QueryAsync<IsFeesBurnedFunction, bool>(new IsFeesBurnedFunction { BatchId = batch.ChainId }, cancellationToken: cancellationToken);
}
