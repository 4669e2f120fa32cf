using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Tests.Abi;

/// <summary>Turns the vectors' JSON values into encoder inputs, and values of either side into one comparable text form.</summary>
internal static class AbiJson
{
    public static object? FromJson(AbiType type, JsonElement json) => type switch
    {
        AbiIntegerType => json.ValueKind == JsonValueKind.Number
            ? new BigInteger(json.GetInt64())
            : BigInteger.Parse(json.GetString()!, CultureInfo.InvariantCulture),
        AbiBoolType => json.GetBoolean(),
        AbiAddressType or AbiStringType => json.GetString(),
        AbiFixedBytesType or AbiBytesType => json.GetString()!.HexToByteArray(),
        AbiArrayType array => json.EnumerateArray().Select(e => FromJson(array.ElementType, e)).ToArray(),
        AbiTupleType tuple => json.EnumerateArray().Select((e, i) => FromJson(tuple.Components[i], e)).ToArray(),
        _ => throw new NotSupportedException(type.CanonicalName),
    };

    /// <summary>Canonical text: integers in decimal, bytes in lower hex, addresses as given (so checksum case is compared too).</summary>
    public static string Canonical(object? value) => value switch
    {
        null => "null",
        BigInteger b => b.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        byte[] bytes => bytes.ToHex(prefix: true),
        string s => "\"" + s + "\"",
        object?[] items => "[" + string.Join(",", items.Select(Canonical)) + "]",
        _ => throw new NotSupportedException(value.GetType().Name),
    };
}
