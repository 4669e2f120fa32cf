using System.Numerics;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.TransactionManagement;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Deployment;

/// <summary>Where the product's contracts live, and the block from which to scan their events.</summary>
public sealed record DeployedContracts(EthereumAddress Token, EthereumAddress Vault, ulong DeployedAtBlock);

/// <summary>
/// Deploys and provisions the product's contracts (DepinToken, DepinVault) from the artifacts embedded in this assembly,
/// with the chain client's signer. For local chains and test networks; production addresses come from configuration.
/// </summary>
public static class MarketContracts
{
    /// <summary>
    /// Deploys <c>DepinToken(initialOwner = deployer)</c>, then <c>DepinVault(token, admin, settler)</c>, each as an
    /// EIP-1559 contract-creation transaction (<see cref="DepinTokenDeployment"/>, <see cref="DepinVaultDeployment"/>
    /// through <see cref="ITransactionManager.DeployContractAndWaitForReceiptAsync{TDeployment}"/>), waiting for its
    /// receipt with the chain's confirmation settings. The addresses come from the receipts, checked against the CREATE
    /// address of sender and nonce.
    /// </summary>
    /// <exception cref="InvalidOperationException">The client is read-only, or a deployment reverted.</exception>
    /// <exception cref="RpcException">The node refused a transaction (a revert in the estimate is an <see cref="RpcRevertException"/>).</exception>
    /// <exception cref="TransactionReceiptTimeoutException">A deployment was not confirmed in time.</exception>
    public static async Task<DeployedContracts> DeployAsync(ChainClient chain, EthereumAddress admin, EthereumAddress settler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var manager = RequireSigner(chain);
        if (admin.IsZero || settler.IsZero)
        {
            throw new ArgumentException("The vault's admin and settler cannot be the zero address.");
        }

        var (token, tokenReceipt) = await DeployAsync(manager, new DepinTokenDeployment { InitialOwner = manager.Account.ToString() }, cancellationToken);
        var vaultDeployment = new DepinVaultDeployment { Token = token.ToString(), Admin = admin.ToString(), Settler = settler.ToString() };
        var (vault, _) = await DeployAsync(manager, vaultDeployment, cancellationToken);
        return new DeployedContracts(token, vault, (ulong)tokenReceipt.BlockNumber);
    }

    /// <summary>
    /// Mints <paramref name="amount"/> base units of the token to <paramref name="to"/> (the signer must be the token's
    /// owner) and returns the hash of the mined transaction.
    /// </summary>
    /// <exception cref="RpcRevertException">Refused, e.g. <c>OwnableUnauthorizedAccount</c> for a signer that is not the owner.</exception>
    /// <exception cref="InvalidOperationException">The client is read-only, or the transaction reverted on chain.</exception>
    public static async Task<string> MintAsync(ChainClient chain, EthereumAddress token, EthereumAddress to, BigInteger amount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        RequireSigner(chain);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        var receipt = await chain.GetContractHandler(token).SendRequestAndWaitForReceiptAsync(
            new MintFunction { To = to.ToString(), Amount = amount },
            cancellationToken);
        if (!receipt.Succeeded())
        {
            throw new InvalidOperationException($"Minting {amount} to {to} reverted in transaction {receipt.TransactionHash}.");
        }

        return receipt.TransactionHash;
    }

    /// <summary>
    /// True when there is code at both addresses. A deployment file can outlive its chain (anvil restarted, testnet
    /// reset): then the addresses hold nothing and the contracts must be deployed again.
    /// </summary>
    public static async Task<bool> IsDeployedAsync(ChainClient chain, DeployedContracts contracts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(contracts);
        return await HasCodeAsync(chain.Eth, contracts.Token, cancellationToken) &&
               await HasCodeAsync(chain.Eth, contracts.Vault, cancellationToken);
    }

    private static async Task<bool> HasCodeAsync(IEthApi api, EthereumAddress address, CancellationToken cancellationToken)
    {
        var code = await api.GetCodeAsync(address.ToString(), BlockParameter.Latest, cancellationToken);
        return !string.IsNullOrEmpty(code) && code is not ("0x" or "0X");
    }

    private static async Task<(EthereumAddress Address, TransactionReceipt Receipt)> DeployAsync(
        ITransactionManager manager, ContractDeploymentMessage deployment, CancellationToken cancellationToken)
    {
        var receipt = await manager.DeployContractAndWaitForReceiptAsync(deployment, cancellationToken);
        if (!receipt.Succeeded())
        {
            throw new InvalidOperationException($"{deployment.GetType().Name} reverted in transaction {receipt.TransactionHash}.");
        }

        // The manager checked the address against the CREATE address of sender and nonce.
        return (EthereumAddress.Parse(receipt.ContractAddress!), receipt);
    }

    private static ITransactionManager RequireSigner(ChainClient chain) =>
        chain.TransactionManager ?? throw new InvalidOperationException("Deploying and minting need a ChainClient with a signer.");
}
