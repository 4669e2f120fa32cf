using System.Numerics;
using System.Text.Json;

namespace DepinMarket.Chain.Eip712;

/// <summary>
/// Reads typed data in the JSON shape of eth_signTypedData_v4 (Nethereum: <c>TypedDataRawJsonConversion</c>):
/// <c>{ "types": {…}, "primaryType": "…", "domain": {…}, "message": {…} }</c>. When <c>types</c> lacks
/// <c>EIP712Domain</c> (as ethers.js's signTypedData takes it), the domain type is built from the domain's fields in
/// the standard order. Every member must be present and nothing else may be: a field a signer sees but that is not
/// signed would be a trap.
/// </summary>
public static class TypedDataRawJsonConversion
{
    // The standard domain fields, in the order EIP-712 gives them.
    private static readonly (string Name, string Type)[] DomainFields =
    [
        ("name", "string"),
        ("version", "string"),
        ("chainId", "uint256"),
        ("verifyingContract", "address"),
        ("salt", "bytes32"),
    ];

    /// <summary>Parses eth_signTypedData_v4 JSON.</summary>
    /// <exception cref="FormatException">Malformed JSON, a missing or unknown member, or a value of the wrong JSON kind.</exception>
    public static TypedDataRaw DeserialiseJsonToRawTypedData(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Typed data is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            var types = ReadTypes(Property(root, "types", JsonValueKind.Object));
            var domain = Property(root, "domain", JsonValueKind.Object);
            if (!types.ContainsKey(Eip712TypedDataEncoder.DomainTypeName))
            {
                types[Eip712TypedDataEncoder.DomainTypeName] = DomainTypeOf(domain);
            }

            var primaryType = Property(root, "primaryType", JsonValueKind.String).GetString()!;
            return new TypedDataRaw
            {
                Types = types,
                PrimaryType = primaryType,
                DomainRawValues = StructValues(types, Eip712TypedDataEncoder.DomainTypeName, domain),
                Message = primaryType == Eip712TypedDataEncoder.DomainTypeName
                    ? []
                    : StructValues(types, primaryType, Property(root, "message", JsonValueKind.Object)),
            };
        }
    }

    private static Dictionary<string, MemberDescription[]> ReadTypes(JsonElement types)
    {
        var result = new Dictionary<string, MemberDescription[]>(StringComparer.Ordinal);
        foreach (var type in types.EnumerateObject())
        {
            if (type.Value.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"types.{type.Name} must be an array of {{name, type}}.");
            }

            result[type.Name] = type.Value.EnumerateArray().Select(member => new MemberDescription
            {
                Name = Property(member, "name", JsonValueKind.String).GetString()!,
                Type = Property(member, "type", JsonValueKind.String).GetString()!,
            }).ToArray();
        }

        return result;
    }

    private static MemberDescription[] DomainTypeOf(JsonElement domain)
    {
        var unknown = domain.EnumerateObject().Select(p => p.Name).Where(n => DomainFields.All(f => f.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new FormatException($"domain has fields EIP-712 does not define ({string.Join(", ", unknown)}); declare types.EIP712Domain to use them.");
        }

        return DomainFields.Where(f => domain.TryGetProperty(f.Name, out _))
            .Select(f => new MemberDescription { Name = f.Name, Type = f.Type })
            .ToArray();
    }

    private static MemberValue[] StructValues(IDictionary<string, MemberDescription[]> types, string typeName, JsonElement value)
    {
        if (!types.TryGetValue(typeName, out var members))
        {
            throw new FormatException($"types has no {typeName}.");
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"A {typeName} value must be a JSON object.");
        }

        var extra = value.EnumerateObject().Select(p => p.Name).Where(n => members.All(m => m.Name != n)).ToList();
        if (extra.Count > 0)
        {
            throw new FormatException($"{typeName} has no member {string.Join(", ", extra)}.");
        }

        return members.Select(member => new MemberValue
        {
            TypeName = member.Type,
            Value = value.TryGetProperty(member.Name, out var field)
                ? Value(types, member.Type, field, $"{typeName}.{member.Name}")
                : throw new FormatException($"{typeName}.{member.Name} is missing."),
        }).ToArray();
    }

    private static object? Value(IDictionary<string, MemberDescription[]> types, string type, JsonElement value, string path)
    {
        if (type.EndsWith(']'))
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{path} ({type}) must be a JSON array.");
            }

            var element = type[..type.LastIndexOf('[')];
            return value.EnumerateArray().Select((item, i) => Value(types, element, item, $"{path}[{i}]")).ToList();
        }

        if (types.ContainsKey(type))
        {
            return StructValues(types, type, value);
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when BigInteger.TryParse(value.GetRawText(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number) => number,
            _ => throw new FormatException($"{path} ({type}) cannot be {value.ValueKind} {value.GetRawText()}."),
        };
    }

    private static JsonElement Property(JsonElement element, string name, JsonValueKind kind)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            throw new FormatException($"Typed data needs \"{name}\".");
        }

        return value.ValueKind == kind ? value : throw new FormatException($"\"{name}\" must be a JSON {kind}.");
    }
}
