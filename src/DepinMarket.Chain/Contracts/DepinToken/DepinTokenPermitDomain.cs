using System.Numerics;
using DepinMarket.Chain.Eip712;
using DepinMarket.Chain.Eip712.Eip2612;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Contracts.DepinToken;

/// <summary>
/// The EIP-712 domain DepinToken's <c>permit</c> checks signatures in (OpenZeppelin <c>ERC20Permit("DePIN Market Token")</c>):
/// name "DePIN Market Token", version "1", the chain id and the token's address, no salt. The live tests check it
/// against the deployed token's <c>eip712Domain()</c> and <c>DOMAIN_SEPARATOR()</c>.
/// </summary>
public static class DepinTokenPermitDomain
{
    /// <summary>The token's ERC-20 name, which is also its EIP-712 domain name.</summary>
    public const string Name = "DePIN Market Token";

    /// <summary>The EIP-712 domain version ERC20Permit fixes.</summary>
    public const string Version = "1";

    /// <summary>The domain of the DepinToken deployed at <paramref name="token"/> on chain <paramref name="chainId"/>.</summary>
    public static Domain Create(BigInteger chainId, EthereumAddress token) =>
        Eip2612TypeFactory.TokenDomain(Name, chainId, token, Version);

    /// <summary>
    /// The typed data the owner signs (eth_signTypedData_v4) so that <paramref name="spender"/> (the vault) may take
    /// <paramref name="value"/>: <paramref name="nonce"/> is the token's <c>nonces(owner)</c>, <paramref name="deadline"/>
    /// unix seconds.
    /// </summary>
    public static TypedData<Domain> CreatePermit(
        BigInteger chainId, EthereumAddress token, EthereumAddress owner, EthereumAddress spender, BigInteger value, BigInteger nonce, BigInteger deadline) =>
        Eip2612TypeFactory.CreatePermit(
            Create(chainId, token),
            new Permit { Owner = owner.ToString(), Spender = spender.ToString(), Value = value, Nonce = nonce, Deadline = deadline });
}
