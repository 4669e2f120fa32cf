using System.Numerics;
using DepinMarket.Chain.Abi;

namespace DepinMarket.Chain.Eip712;

/// <summary>
/// Marker for EIP-712 domain classes (Nethereum: <c>IDomain</c>): [Parameter] properties, in order, whose set
/// (non-null) values make up the <c>EIP712Domain</c> struct.
/// </summary>
#pragma warning disable CA1040 // Empty marker interface kept for Nethereum source compatibility.
public interface IDomain
{
}
#pragma warning restore CA1040

/// <summary>
/// The EIP-712 domain with every standard field (Nethereum: <c>Domain</c>/<c>DomainWithSalt</c>). Only the fields
/// that are set become members of <c>EIP712Domain</c>, in the standard order name, version, chainId,
/// verifyingContract, salt: as ethers.js and wallets build it, so any subset works.
/// </summary>
[Struct(Eip712TypedDataEncoder.DomainTypeName)]
public class Domain : IDomain
{
    /// <summary>The signing domain's name (an ERC-20's <c>name()</c> for ERC-2612).</summary>
    [Parameter("string", "name", 1)]
    public virtual string? Name { get; set; }

    /// <summary>The domain's version ("1" for OpenZeppelin's ERC20Permit).</summary>
    [Parameter("string", "version", 2)]
    public virtual string? Version { get; set; }

    /// <summary>The EIP-155 chain id the signature is valid on.</summary>
    [Parameter("uint256", "chainId", 3)]
    public virtual BigInteger? ChainId { get; set; }

    /// <summary>The contract that verifies the signature.</summary>
    [Parameter("address", "verifyingContract", 4)]
    public virtual string? VerifyingContract { get; set; }

    /// <summary>A 32-byte disambiguating salt.</summary>
    [Parameter("bytes32", "salt", 5)]
    public virtual byte[]? Salt { get; set; }
}
