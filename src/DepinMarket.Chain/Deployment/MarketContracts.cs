using System.Numerics;
using DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Rlp;
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
    /// EIP-1559 contract-creation transaction, waiting for its receipt with the chain's confirmation settings.
    /// The addresses come from the receipts (and are checked against the CREATE address of sender and nonce).
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

        var (token, tokenReceipt) = await DeployAsync(chain, manager, ContractArtifact.DepinToken, [manager.Account], cancellationToken);
        var (vault, _) = await DeployAsync(chain, manager, ContractArtifact.DepinVault, [token, admin, settler], cancellationToken);
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
        ChainClient chain, TransactionManager manager, ContractArtifact artifact, object?[] constructorArguments, CancellationToken cancellationToken)
    {
        var request = new TransactionRequest { To = null, Data = artifact.GetDeploymentData(constructorArguments) };
        // Sign, then send: the signed transaction carries the nonce, which fixes the contract's address in advance.
        var signed = await manager.SignTransactionAsync(request, cancellationToken);
        var hash = await manager.SendRawTransactionAsync(signed, cancellationToken);
        var receipt = await chain.WaitForReceiptAsync(hash, cancellationToken);
        if (!receipt.Succeeded())
        {
            throw new InvalidOperationException($"Deploying {artifact.ContractName} reverted in transaction {hash}.");
        }

        var expected = GetCreateAddress(manager.Account, signed.Nonce);
        if (!EthereumAddress.TryParse(receipt.ContractAddress, out var address) || address != expected)
        {
            throw new InvalidOperationException(
                $"The receipt of {hash} reports contract address {receipt.ContractAddress ?? "(none)"}, but deploying from {manager.Account} with nonce {signed.Nonce} creates {expected}.");
        }

        return (address, receipt);
    }

    /// <summary>CREATE address: the last 20 bytes of keccak256(rlp([sender, nonce])).</summary>
    private static EthereumAddress GetCreateAddress(EthereumAddress sender, BigInteger nonce)
    {
        var rlp = RlpEncoder.Encode(RlpItem.List(RlpItem.FromBytes(sender.ToArray()), RlpItem.FromBigInteger(nonce)));
        return new EthereumAddress(Sha3Keccack.Hash(rlp).AsSpan(12));
    }

    private static TransactionManager RequireSigner(ChainClient chain) =>
        chain.TransactionManager ?? throw new InvalidOperationException("Deploying and minting need a ChainClient with a signer.");
}
