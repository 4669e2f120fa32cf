namespace DepinMarket.Chain.Eip712;

/// <summary>One member of an EIP-712 struct type: <c>{ "name": "owner", "type": "address" }</c> (Nethereum: same name).</summary>
public sealed class MemberDescription
{
    /// <summary>The member's name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Its type: an atomic type (uint8…uint256, int8…int256, bool, address, bytes1…bytes32), bytes, string, a
    /// struct type's name, or any of those with array suffixes (<c>Party[]</c>, <c>uint256[3]</c>, <c>bytes32[][]</c>).</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>"type name", as it appears in an encoded type.</summary>
    public override string ToString() => $"{Type} {Name}";
}

/// <summary>
/// One member's value in a message (Nethereum: <c>MemberValue</c>), positional: the n-th value belongs to the n-th
/// member of the struct type. <see cref="Value"/> holds, by type: a number (BigInteger, long…, or a decimal or 0x-hex
/// string) for integers; a string, <c>EthereumAddress</c> or 20 bytes for address; bool; byte[] or 0x-hex for bytes and
/// bytesN; string; a <see cref="MemberValue"/> array (or an attributed struct DTO) for a struct; a list of such values
/// for an array.
/// </summary>
public sealed class MemberValue
{
    /// <summary>The member's type, as declared in the struct type.</summary>
    public string TypeName { get; set; } = string.Empty;

    /// <summary>The value (see the class summary for the accepted shapes).</summary>
    public object? Value { get; set; }
}
