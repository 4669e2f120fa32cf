using System.Numerics;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Eip712.Eip2612;

/// <summary>
/// ERC-2612 permits as EIP-712 typed data (Nethereum: <c>EIP2612TypeFactory</c>). A gasless deposit: the owner signs
/// the permit off-chain (eth_signTypedData_v4), a relayer submits <c>permit(owner, spender, value, deadline, v, r, s)</c>
/// (take v, r, s from <see cref="Crypto.EthECDSASignature.FromHex"/>) and pays the gas.
/// </summary>
public static class Eip2612TypeFactory
{
    /// <summary>
    /// The domain OpenZeppelin's <c>ERC20Permit(name)</c> signs with: the token's name, version "1", the chain id and the
    /// token's address (no salt).
    /// </summary>
    public static Domain TokenDomain(string tokenName, BigInteger chainId, EthereumAddress token, string version = "1")
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenName);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chainId);
        return new Domain { Name = tokenName, Version = version, ChainId = chainId, VerifyingContract = token.ToString() };
    }

    /// <summary>The Permit type definition in <paramref name="domain"/>, without a message (Nethereum: <c>GetTypedDefinition</c>).</summary>
    public static TypedData<Domain> GetTypedDefinition(Domain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return new TypedData<Domain>
        {
            Domain = domain,
            Types = MemberDescriptionFactory.GetTypesMemberDescription(typeof(Permit)),
            PrimaryType = "Permit",
        };
    }

    /// <summary>The typed data of <paramref name="permit"/> in <paramref name="domain"/>, ready to hash, sign or verify.</summary>
    public static TypedData<Domain> CreatePermit(Domain domain, Permit permit)
    {
        ArgumentNullException.ThrowIfNull(permit);
        var typedData = GetTypedDefinition(domain);
        typedData.SetMessage(permit);
        return typedData;
    }
}
