namespace DepinMarket.Chain.Eip712;

/// <summary>
/// EIP-712 typed data with the domain given as raw member values (Nethereum: <c>TypedDataRaw</c>): what
/// <see cref="TypedDataRawJsonConversion"/> reads from eth_signTypedData_v4 JSON. <see cref="Types"/> must hold
/// <c>EIP712Domain</c>, and <see cref="DomainRawValues"/> its values in member order.
/// </summary>
public class TypedDataRaw
{
    /// <summary>Struct types by name.</summary>
    public IDictionary<string, MemberDescription[]> Types { get; set; } = new Dictionary<string, MemberDescription[]>(StringComparer.Ordinal);

    /// <summary>The type of <see cref="Message"/>.</summary>
    public string PrimaryType { get; set; } = string.Empty;

    /// <summary>The message's member values, in <see cref="PrimaryType"/>'s member order.</summary>
    public MemberValue[] Message { get; set; } = [];

    /// <summary>The domain's member values, in <c>EIP712Domain</c>'s member order.</summary>
    public MemberValue[] DomainRawValues { get; set; } = [];

    /// <summary>The <c>EIP712Domain</c> members and their values: here, as stored in <see cref="Types"/>.</summary>
    internal virtual (MemberDescription[] Members, MemberValue[] Values) GetDomain() =>
        Types.TryGetValue(Eip712TypedDataEncoder.DomainTypeName, out var members)
            ? (members, DomainRawValues)
            : throw new ArgumentException($"Types has no {Eip712TypedDataEncoder.DomainTypeName}; a TypedDataRaw must declare its domain type.");
}

/// <summary>
/// EIP-712 typed data with a typed domain (Nethereum: <c>TypedData&lt;TDomain&gt;</c>): the domain's set fields make up
/// <c>EIP712Domain</c>, so <see cref="TypedDataRaw.Types"/> needs only the message's types (when it holds
/// <c>EIP712Domain</c> too, that must agree).
/// </summary>
public class TypedData<TDomain> : TypedDataRaw
    where TDomain : IDomain
{
    /// <summary>The signing domain.</summary>
    public TDomain? Domain { get; set; }

    /// <summary>Sets <see cref="TypedDataRaw.Message"/> from an attributed DTO (Nethereum: <c>SetMessage</c>).</summary>
    public void SetMessage<T>(T message)
        where T : notnull => Message = MemberValueFactory.CreateFromMessage(message);

    /// <inheritdoc />
    internal override (MemberDescription[] Members, MemberValue[] Values) GetDomain()
    {
        var domain = Domain ?? throw new ArgumentException("TypedData.Domain is not set.");
        var (members, values) = MemberValueFactory.CreateDomain(domain);
        if (Types.TryGetValue(Eip712TypedDataEncoder.DomainTypeName, out var declared) &&
            !declared.Select(m => (m.Name, m.Type)).SequenceEqual(members.Select(m => (m.Name, m.Type))))
        {
            // Signing a domain other than the one the caller declared would be signing something they did not read.
            throw new ArgumentException(
                $"Types[{Eip712TypedDataEncoder.DomainTypeName}] ({string.Join(",", declared.Select(m => m.ToString()))}) does not match the domain's set fields ({string.Join(",", members.Select(m => m.ToString()))}).");
        }

        return (members, values);
    }
}
