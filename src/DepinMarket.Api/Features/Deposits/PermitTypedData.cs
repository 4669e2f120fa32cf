using System.Globalization;
using System.Numerics;
using DepinMarket.Chain.Eip712;

namespace DepinMarket.Api.Features.Deposits;

/// <summary>One member of an EIP-712 struct type, as typed-data JSON writes it.</summary>
public sealed record TypedDataMember(string Name, string Type);

/// <param name="ChainId">The EIP-155 chain id (a JSON number: MetaMask compares it with the wallet's chain).</param>
public sealed record PermitDomain(string Name, string Version, long ChainId, string VerifyingContract);

/// <summary>The ERC-2612 message; the uint256 fields are decimal strings, since JSON numbers lose precision above 2^53.</summary>
public sealed record PermitMessage(string Owner, string Spender, string Value, string Nonce, string Deadline);

/// <summary>
/// eth_signTypedData_v4 JSON of an ERC-2612 permit: { types, primaryType, domain, message }. Written from the same
/// typed data the API hashes to check the signature, so the two cannot drift apart.
/// </summary>
public sealed record PermitTypedData(IReadOnlyDictionary<string, TypedDataMember[]> Types, string PrimaryType, PermitDomain Domain, PermitMessage Message)
{
    private static readonly TypedDataMember[] DomainMembers =
    [
        new("name", "string"), new("version", "string"), new("chainId", "uint256"), new("verifyingContract", "address"),
    ];

    public static PermitTypedData From(TypedData<Chain.Eip712.Domain> typedData, Chain.Eip712.Eip2612.Permit permit)
    {
        var domain = typedData.Domain!;
        var types = new Dictionary<string, TypedDataMember[]>(StringComparer.Ordinal) { [Eip712TypedDataEncoder.DomainTypeName] = DomainMembers };
        foreach (var (name, members) in typedData.Types)
        {
            types[name] = [.. members.Select(m => new TypedDataMember(m.Name, m.Type))];
        }
        return new PermitTypedData(
            types, typedData.PrimaryType,
            new PermitDomain(domain.Name!, domain.Version!, (long)domain.ChainId!.Value, domain.VerifyingContract!),
            new PermitMessage(permit.Owner, permit.Spender, Text(permit.Value), Text(permit.Nonce), Text(permit.Deadline)));
    }

    private static string Text(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
}
