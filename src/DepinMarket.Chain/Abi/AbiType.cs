using System.Globalization;

namespace DepinMarket.Chain.Abi;

/// <summary>
/// A Solidity ABI type, parsed from its textual form ("uint256", "bytes32[]", "(address,uint256)[3]").
/// Each type knows how to encode and decode one value; tuples and arrays compose them. Decoded values are:
/// integers as <see cref="System.Numerics.BigInteger"/>, addresses as checksummed strings, bool, byte[] for bytes and
/// bytesN, string, and <c>object?[]</c> for arrays and tuples.
/// </summary>
public abstract class AbiType
{
    /// <summary>Size of one ABI word.</summary>
    public const int WordSize = 32;

    /// <summary>The canonical name used in signatures (e.g. "uint256", "(address,uint256)[]").</summary>
    public abstract string CanonicalName { get; }

    /// <summary>True when the encoding lives in the tail and the head holds an offset.</summary>
    public abstract bool IsDynamic { get; }

    /// <summary>Bytes the value takes in the head when static (32 for elementary types, more for static tuples/arrays).</summary>
    public virtual int StaticSize => WordSize;

    /// <summary>Size of this type's head slot: an offset word when dynamic, the full static encoding otherwise.</summary>
    internal int HeadSize => IsDynamic ? WordSize : StaticSize;

    /// <summary>Encodes one value (the full encoding: for dynamic types this is what goes in the tail).</summary>
    public abstract byte[] Encode(object? value);

    /// <summary>Decodes one value whose encoding starts at <paramref name="offset"/> in <paramref name="data"/>.</summary>
    public abstract object? Decode(ReadOnlySpan<byte> data, int offset);

    /// <inheritdoc />
    public override string ToString() => CanonicalName;

    /// <summary>Parses a type such as "uint256", "address[]", "bytes32[2]", "(address,uint256,bytes32)[]" or "tuple(uint256,bool)".</summary>
    /// <exception cref="FormatException">Unknown or malformed type.</exception>
    public static AbiType Parse(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var text = type.Trim();
        if (text.Length == 0)
        {
            throw new FormatException("Empty ABI type.");
        }

        if (text.EndsWith(']'))
        {
            var open = text.LastIndexOf('[');
            if (open <= 0)
            {
                throw new FormatException($"Malformed array type '{type}'.");
            }

            var element = Parse(text[..open]);
            var lengthText = text[(open + 1)..^1];
            if (lengthText.Length == 0)
            {
                return new AbiArrayType(element, null);
            }

            if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= 0)
            {
                throw new FormatException($"Malformed fixed array length in '{type}'.");
            }

            return new AbiArrayType(element, length);
        }

        if (text.StartsWith("tuple(", StringComparison.Ordinal))
        {
            text = text[5..];
        }

        if (text.StartsWith('('))
        {
            if (!text.EndsWith(')'))
            {
                throw new FormatException($"Malformed tuple type '{type}'.");
            }

            var components = AbiSignatureParser.SplitTopLevel(text[1..^1])
                .Select(p => AbiSignatureParser.ParseParameter(p, allowIndexed: false).Type)
                .ToArray();
            return new AbiTupleType(components);
        }

        return ParseElementary(text) ?? throw new FormatException($"Unknown ABI type '{type}'.");
    }

    private static AbiType? ParseElementary(string text)
    {
        switch (text)
        {
            case "address":
                return AbiAddressType.Instance;
            case "bool":
                return AbiBoolType.Instance;
            case "string":
                return AbiStringType.Instance;
            case "bytes":
                return AbiBytesType.Instance;
            case "uint":
                return new AbiIntegerType(256, isSigned: false);
            case "int":
                return new AbiIntegerType(256, isSigned: true);
            case "function":
                // An address + selector packed as bytes24, per the spec.
                return new AbiFixedBytesType(24);
        }

        if (text.StartsWith("uint", StringComparison.Ordinal) && TryBits(text[4..], out var ubits))
        {
            return new AbiIntegerType(ubits, isSigned: false);
        }

        if (text.StartsWith("int", StringComparison.Ordinal) && TryBits(text[3..], out var ibits))
        {
            return new AbiIntegerType(ibits, isSigned: true);
        }

        if (text.StartsWith("bytes", StringComparison.Ordinal) &&
            int.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= 32 &&
            text[5] != '0')
        {
            return new AbiFixedBytesType(size);
        }

        return null;
    }

    private static bool TryBits(string digits, out int bits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out bits) &&
        digits[0] != '0' && bits is >= 8 and <= 256 && bits % 8 == 0;
}
