using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Eip712;

/// <summary>
/// EIP-712 hashing (Nethereum: <c>Eip712TypedDataEncoder</c>): <c>encodeType</c>, <c>typeHash</c>, <c>hashStruct</c>,
/// the domain separator, and the digest <c>keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message))</c> that a
/// wallet's eth_signTypedData_v4 signs. Supports nested structs (also self-referencing), arrays of structs and of any
/// other type (dynamic or fixed length, nested), bytes and string, int/uint of every width, bool, address and
/// bytes1..bytes32. Strict: a missing, extra or mistyped member, an unknown type, an out-of-range integer or a
/// wrong-length bytesN is an error, never silently encoded.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Instance methods keep Nethereum's call shape (Eip712TypedDataEncoder.Current.X) so swapping Nethereum in is mechanical.")]
public sealed class Eip712TypedDataEncoder
{
    /// <summary>The domain's struct type name.</summary>
    public const string DomainTypeName = "EIP712Domain";

    private static readonly byte[] Prefix = [0x19, 0x01];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Shared instance; the type holds no state.</summary>
    public static Eip712TypedDataEncoder Current { get; } = new();

    /// <summary>
    /// <c>encodeType</c>: <c>Name(type1 name1,…)</c> followed by every struct type it refers to (directly or not),
    /// sorted by name, e.g. <c>Mail(Person from,Person to,string contents)Person(string name,address wallet)</c>.
    /// </summary>
    public string EncodeType(IDictionary<string, MemberDescription[]> types, string typeName)
    {
        ArgumentNullException.ThrowIfNull(types);
        var members = Members(types, typeName);
        var dependencies = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(types, typeName, typeName, dependencies);
        var text = new StringBuilder(Format(typeName, members));
        foreach (var dependency in dependencies)
        {
            text.Append(Format(dependency, types[dependency]));
        }

        return text.ToString();
    }

    /// <summary><c>typeHash</c>: keccak256 of <see cref="EncodeType"/>.</summary>
    public byte[] HashType(IDictionary<string, MemberDescription[]> types, string typeName) =>
        Sha3Keccack.Hash(Encoding.UTF8.GetBytes(EncodeType(types, typeName)));

    /// <summary><c>hashStruct</c>: keccak256(typeHash ‖ encodeData(values)), the values in <paramref name="typeName"/>'s member order.</summary>
    public byte[] HashStruct(IDictionary<string, MemberDescription[]> types, string typeName, IEnumerable<MemberValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var members = Members(types, typeName);
        var list = values as IReadOnlyList<MemberValue> ?? values.ToArray();
        if (list.Count != members.Length)
        {
            throw new ArgumentException($"{typeName} has {members.Length} members; got {list.Count} values.");
        }

        var encoded = new byte[32 * (members.Length + 1)];
        HashType(types, typeName).CopyTo(encoded, 0);
        for (var i = 0; i < members.Length; i++)
        {
            var member = members[i];
            if (!string.IsNullOrEmpty(list[i].TypeName) && list[i].TypeName != member.Type)
            {
                throw new ArgumentException($"{typeName}.{member.Name} is {member.Type}; the value says {list[i].TypeName}.");
            }

            try
            {
                EncodeValue(types, member.Type, list[i].Value).CopyTo(encoded, 32 * (i + 1));
            }
            catch (Exception ex) when (ex is AbiEncodingException or FormatException or InvalidCastException or ArgumentException)
            {
                throw new ArgumentException($"{typeName}.{member.Name} ({member.Type}): {ex.Message}", ex);
            }
        }

        return Sha3Keccack.Hash(encoded);
    }

    /// <summary>The domain separator: <c>hashStruct(EIP712Domain, domain)</c>.</summary>
    public byte[] HashDomainSeparator(TypedDataRaw typedData)
    {
        ArgumentNullException.ThrowIfNull(typedData);
        var (members, values) = typedData.GetDomain();
        // The domain struct refers to no other type; hashing it against its own table keeps message types out of it.
        var domainTypes = new Dictionary<string, MemberDescription[]>(StringComparer.Ordinal) { [DomainTypeName] = members };
        return HashStruct(domainTypes, DomainTypeName, values);
    }

    /// <summary><c>0x19 0x01 ‖ domainSeparator ‖ hashStruct(message)</c>: the 66 bytes that are hashed and signed.</summary>
    public byte[] EncodeTypedDataRaw(TypedDataRaw typedData)
    {
        ArgumentNullException.ThrowIfNull(typedData);
        var domainSeparator = HashDomainSeparator(typedData);
        if (typedData.PrimaryType == DomainTypeName)
        {
            // Signing the domain alone: the message part is omitted (as ethers.js and eth_signTypedData_v4 do).
            return [.. Prefix, .. domainSeparator];
        }

        return [.. Prefix, .. domainSeparator, .. HashStruct(typedData.Types, typedData.PrimaryType, typedData.Message)];
    }

    /// <summary>Same as <see cref="EncodeTypedDataRaw"/>; Nethereum's name for typed data with a typed domain.</summary>
    public byte[] EncodeTypedData(TypedDataRaw typedData) => EncodeTypedDataRaw(typedData);

    /// <summary>The encoding of eth_signTypedData_v4 JSON (see <see cref="TypedDataRawJsonConversion"/>).</summary>
    public byte[] EncodeTypedData(string json) => EncodeTypedDataRaw(TypedDataRawJsonConversion.DeserialiseJsonToRawTypedData(json));

    /// <summary>The digest that is signed: keccak256 of <see cref="EncodeTypedDataRaw"/>.</summary>
    public byte[] EncodeAndHashTypedData(TypedDataRaw typedData) => Sha3Keccack.Hash(EncodeTypedDataRaw(typedData));

    /// <summary>The digest of eth_signTypedData_v4 JSON.</summary>
    public byte[] EncodeAndHashTypedData(string json) => Sha3Keccack.Hash(EncodeTypedData(json));

    private static MemberDescription[] Members(IDictionary<string, MemberDescription[]> types, string typeName)
    {
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        return types.TryGetValue(typeName, out var members)
            ? members
            : throw new ArgumentException($"Types has no struct type {typeName}.");
    }

    private static string Format(string typeName, MemberDescription[] members) =>
        typeName + "(" + string.Join(",", members.Select(m => m.ToString())) + ")";

    private static void CollectDependencies(IDictionary<string, MemberDescription[]> types, string primary, string typeName, SortedSet<string> found)
    {
        foreach (var member in types[typeName])
        {
            var baseType = BaseType(member.Type);
            if (types.ContainsKey(baseType))
            {
                if (baseType != primary && found.Add(baseType))
                {
                    CollectDependencies(types, primary, baseType, found);
                }
            }
            else if (!IsAtomicOrDynamic(baseType))
            {
                throw new ArgumentException($"{typeName}.{member.Name} has the unknown type {member.Type}.");
            }
        }
    }

    private static string BaseType(string type)
    {
        var bracket = type.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? type : type[..bracket];
    }

    private static bool IsAtomicOrDynamic(string type)
    {
        if (type.Contains('(', StringComparison.Ordinal) || type.StartsWith("tuple", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            return AbiType.Parse(type) is AbiIntegerType or AbiAddressType or AbiBoolType or AbiFixedBytesType or AbiBytesType or AbiStringType;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>One member's 32-byte encoding (<c>encodeData</c> of one value).</summary>
    private static byte[] EncodeValue(IDictionary<string, MemberDescription[]> types, string type, object? value)
    {
        if (value is null)
        {
            throw new ArgumentException("the value is missing (null).");
        }

        if (type.EndsWith(']'))
        {
            return EncodeArray(types, type, value);
        }

        if (types.ContainsKey(type))
        {
            return Current.HashStruct(types, type, StructValues(value));
        }

        return type switch
        {
            "string" => Sha3Keccack.Hash(StrictUtf8.GetBytes(value as string ?? throw new ArgumentException($"string expects a string, got {value.GetType().Name}."))),
            "bytes" => Sha3Keccack.Hash(Bytes(value)),
            _ => EncodeAtomic(type, value),
        };
    }

    private static byte[] EncodeArray(IDictionary<string, MemberDescription[]> types, string type, object value)
    {
        if (value is string or byte[] || value is not IEnumerable items)
        {
            throw new ArgumentException($"{type} expects a list, got {value.GetType().Name}.");
        }

        var open = type.LastIndexOf('[');
        var elementType = type[..open];
        var lengthText = type[(open + 1)..^1];
        var elements = items.Cast<object?>().ToList();
        if (lengthText.Length > 0)
        {
            if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= 0)
            {
                throw new ArgumentException($"{type} has a malformed length.");
            }

            if (elements.Count != length)
            {
                throw new ArgumentException($"{type} expects {length} items, got {elements.Count}.");
            }
        }

        var encoded = new byte[32 * elements.Count];
        for (var i = 0; i < elements.Count; i++)
        {
            EncodeValue(types, elementType, elements[i]).CopyTo(encoded, 32 * i);
        }

        return Sha3Keccack.Hash(encoded);
    }

    private static IEnumerable<MemberValue> StructValues(object value) => value switch
    {
        IEnumerable<MemberValue> members => members,
        string or byte[] or IEnumerable => throw new ArgumentException($"a struct value is MemberValue[] or an attributed DTO, got {value.GetType().Name}."),
        _ => MemberValueFactory.CreateFromMessage(value),
    };

    private static byte[] EncodeAtomic(string type, object value)
    {
        var abiType = AbiType.Parse(type);
        if (abiType is AbiIntegerType && value is string text)
        {
            value = ParseInteger(text);
        }

        if (abiType is not (AbiIntegerType or AbiAddressType or AbiBoolType or AbiFixedBytesType))
        {
            throw new ArgumentException($"{type} is not an EIP-712 type.");
        }

        return abiType.Encode(value);
    }

    /// <summary>JSON carries big integers as decimal or 0x-hex strings.</summary>
    private static BigInteger ParseInteger(string text)
    {
        var trimmed = text.Trim();
        var negative = trimmed.StartsWith('-');
        var digits = negative ? trimmed[1..] : trimmed;
        BigInteger magnitude;
        if (digits.HasHexPrefix())
        {
            magnitude = digits.HexToBigInteger();
        }
        else if (!BigInteger.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude))
        {
            throw new FormatException($"'{text}' is not an integer.");
        }

        return negative ? -magnitude : magnitude;
    }

    private static byte[] Bytes(object value) => value switch
    {
        byte[] bytes => bytes,
        ReadOnlyMemory<byte> memory => memory.ToArray(),
        string hex when hex.HasHexPrefix() => hex.HexToByteArray(),
        _ => throw new ArgumentException($"bytes expects bytes or a 0x hex string, got {value.GetType().Name}."),
    };
}
