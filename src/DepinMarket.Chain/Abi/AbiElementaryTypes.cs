using System.Numerics;
using System.Text;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Abi;

/// <summary>uint&lt;N&gt; and int&lt;N&gt;: one word, big-endian, two's complement for signed.</summary>
public sealed class AbiIntegerType : AbiType
{
    private readonly BigInteger _min;
    private readonly BigInteger _max;

    /// <summary>An integer type of <paramref name="bits"/> bits (8..256, multiple of 8).</summary>
    public AbiIntegerType(int bits, bool isSigned)
    {
        if (bits is < 8 or > 256 || bits % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), "Integer types have 8..256 bits in steps of 8.");
        }

        Bits = bits;
        IsSigned = isSigned;
        _min = isSigned ? -(BigInteger.One << (bits - 1)) : BigInteger.Zero;
        _max = isSigned ? (BigInteger.One << (bits - 1)) - 1 : (BigInteger.One << bits) - 1;
    }

    /// <summary>Width in bits.</summary>
    public int Bits { get; }

    /// <summary>True for int&lt;N&gt;.</summary>
    public bool IsSigned { get; }

    /// <inheritdoc />
    public override string CanonicalName => (IsSigned ? "int" : "uint") + Bits.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override bool IsDynamic => false;

    /// <inheritdoc />
    public override byte[] Encode(object? value)
    {
        var number = AbiValueConvert.ToBigInteger(value, CanonicalName);
        if (number < _min || number > _max)
        {
            throw new AbiEncodingException($"{number} does not fit in {CanonicalName}.");
        }

        return EncodeWord(number);
    }

    /// <inheritdoc />
    public override object? Decode(ReadOnlySpan<byte> data, int offset)
    {
        var word = AbiDecodingGuard.Word(data, offset, CanonicalName);
        var value = IsSigned ? new BigInteger(word, isUnsigned: false, isBigEndian: true) : new BigInteger(word, isUnsigned: true, isBigEndian: true);

        // Solidity rejects words with bits set outside the type (or wrong sign extension); so do we.
        if (value < _min || value > _max)
        {
            throw new AbiDecodingException($"Word does not hold a valid {CanonicalName} (dirty high bits).");
        }

        return value;
    }

    /// <summary>A signed or unsigned integer as one 32-byte two's complement word.</summary>
    internal static byte[] EncodeWord(BigInteger value)
    {
        var word = new byte[WordSize];
        if (value.Sign < 0)
        {
            word.AsSpan().Fill(0xff);
        }

        var bytes = value.ToByteArray(isUnsigned: value.Sign >= 0, isBigEndian: true);
        if (bytes.Length > WordSize)
        {
            throw new AbiEncodingException($"{value} does not fit in 256 bits.");
        }

        bytes.CopyTo(word, WordSize - bytes.Length);
        return word;
    }
}

/// <summary>address: 20 bytes left-padded to a word. Decodes to the EIP-55 checksummed string.</summary>
public sealed class AbiAddressType : AbiType
{
    internal static readonly AbiAddressType Instance = new();

    private AbiAddressType()
    {
    }

    /// <inheritdoc />
    public override string CanonicalName => "address";

    /// <inheritdoc />
    public override bool IsDynamic => false;

    /// <inheritdoc />
    public override byte[] Encode(object? value)
    {
        var address = AbiValueConvert.ToAddress(value);
        var word = new byte[WordSize];
        address.ToArray().CopyTo(word, 12);
        return word;
    }

    /// <inheritdoc />
    public override object? Decode(ReadOnlySpan<byte> data, int offset)
    {
        var word = AbiDecodingGuard.Word(data, offset, CanonicalName);
        if (word[..12].ContainsAnyExcept((byte)0))
        {
            throw new AbiDecodingException("Word does not hold a valid address (dirty high bytes).");
        }

        return new EthereumAddress(word[12..]).ToString();
    }
}

/// <summary>bool: a word holding 0 or 1.</summary>
public sealed class AbiBoolType : AbiType
{
    internal static readonly AbiBoolType Instance = new();

    private AbiBoolType()
    {
    }

    /// <inheritdoc />
    public override string CanonicalName => "bool";

    /// <inheritdoc />
    public override bool IsDynamic => false;

    /// <inheritdoc />
    public override byte[] Encode(object? value) =>
        value is bool b ? AbiIntegerType.EncodeWord(b ? BigInteger.One : BigInteger.Zero) : throw new AbiEncodingException($"bool expects a bool, got {AbiValueConvert.Describe(value)}.");

    /// <inheritdoc />
    public override object? Decode(ReadOnlySpan<byte> data, int offset)
    {
        var word = AbiDecodingGuard.Word(data, offset, CanonicalName);
        if (word[..31].ContainsAnyExcept((byte)0) || word[31] > 1)
        {
            throw new AbiDecodingException("Word does not hold a valid bool.");
        }

        return word[31] == 1;
    }
}

/// <summary>bytes1..bytes32: right-padded to a word. Values must have exactly N bytes.</summary>
public sealed class AbiFixedBytesType : AbiType
{
    /// <summary>A bytesN type.</summary>
    public AbiFixedBytesType(int size)
    {
        if (size is < 1 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(size), "bytesN has 1..32 bytes.");
        }

        Size = size;
    }

    /// <summary>N.</summary>
    public int Size { get; }

    /// <inheritdoc />
    public override string CanonicalName => "bytes" + Size.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override bool IsDynamic => false;

    /// <inheritdoc />
    public override byte[] Encode(object? value)
    {
        var bytes = AbiValueConvert.ToBytes(value, CanonicalName);
        if (bytes.Length != Size)
        {
            // Silently padding or truncating would turn a wrong account id into a different, valid one.
            throw new AbiEncodingException($"{CanonicalName} expects exactly {Size} bytes, got {bytes.Length}.");
        }

        var word = new byte[WordSize];
        bytes.CopyTo(word, 0);
        return word;
    }

    /// <inheritdoc />
    public override object? Decode(ReadOnlySpan<byte> data, int offset)
    {
        var word = AbiDecodingGuard.Word(data, offset, CanonicalName);
        if (word[Size..].ContainsAnyExcept((byte)0))
        {
            throw new AbiDecodingException($"Word does not hold a valid {CanonicalName} (dirty padding).");
        }

        return word[..Size].ToArray();
    }
}

/// <summary>bytes: length word, then the bytes right-padded to a multiple of 32.</summary>
public sealed class AbiBytesType : AbiType
{
    internal static readonly AbiBytesType Instance = new();

    private AbiBytesType()
    {
    }

    /// <inheritdoc />
    public override string CanonicalName => "bytes";

    /// <inheritdoc />
    public override bool IsDynamic => true;

    /// <inheritdoc />
    public override byte[] Encode(object? value) => EncodeDynamicBytes(AbiValueConvert.ToBytes(value, CanonicalName));

    /// <inheritdoc />
    public override object? Decode(ReadOnlySpan<byte> data, int offset) => DecodeDynamicBytes(data, offset, CanonicalName);

    internal static byte[] EncodeDynamicBytes(byte[] bytes)
    {
        var paddedLength = (bytes.Length + WordSize - 1) / WordSize * WordSize;
        var result = new byte[WordSize + paddedLength];
        AbiIntegerType.EncodeWord(bytes.Length).CopyTo(result, 0);
        bytes.CopyTo(result, WordSize);
        return result;
    }

    internal static byte[] DecodeDynamicBytes(ReadOnlySpan<byte> data, int offset, string typeName)
    {
        var length = AbiDecodingGuard.Length(data, offset, typeName, 1);
        return data.Slice(offset + WordSize, length).ToArray();
    }
}

/// <summary>string: UTF-8 bytes encoded like bytes.</summary>
public sealed class AbiStringType : AbiType
{
    internal static readonly AbiStringType Instance = new();

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private AbiStringType()
    {
    }

    /// <inheritdoc />
    public override string CanonicalName => "string";

    /// <inheritdoc />
    public override bool IsDynamic => true;

    /// <inheritdoc />
    public override byte[] Encode(object? value) =>
        value is string s ? AbiBytesType.EncodeDynamicBytes(StrictUtf8.GetBytes(s)) : throw new AbiEncodingException($"string expects a string, got {AbiValueConvert.Describe(value)}.");

    /// <inheritdoc />
    public override object? Decode(ReadOnlySpan<byte> data, int offset)
    {
        var bytes = AbiBytesType.DecodeDynamicBytes(data, offset, CanonicalName);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (ArgumentException ex)
        {
            throw new AbiDecodingException("string is not valid UTF-8.", ex);
        }
    }
}

/// <summary>Bounds checks shared by the decoders, so a hostile offset or length fails cleanly instead of allocating gigabytes.</summary>
internal static class AbiDecodingGuard
{
    internal static ReadOnlySpan<byte> Word(ReadOnlySpan<byte> data, int offset, string typeName)
    {
        if (offset < 0 || offset > data.Length - AbiType.WordSize)
        {
            throw new AbiDecodingException($"Data too short to decode {typeName} at offset {offset}.");
        }

        return data.Slice(offset, AbiType.WordSize);
    }

    /// <summary>Reads a word as a non-negative int, e.g. an offset or a length.</summary>
    internal static int ReadInt(ReadOnlySpan<byte> data, int offset, string what)
    {
        var word = Word(data, offset, what);
        if (word[..28].ContainsAnyExcept((byte)0) || word[28] >= 0x80)
        {
            throw new AbiDecodingException($"{what} at offset {offset} is too large.");
        }

        return (word[28] << 24) | (word[29] << 16) | (word[30] << 8) | word[31];
    }

    /// <summary>Reads a length word at <paramref name="offset"/> and checks that length * bytesPerItem bytes follow it.</summary>
    internal static int Length(ReadOnlySpan<byte> data, int offset, string typeName, int bytesPerItem)
    {
        var length = ReadInt(data, offset, typeName + " length");
        if ((long)length * bytesPerItem > data.Length - offset - AbiType.WordSize)
        {
            throw new AbiDecodingException($"{typeName} length {length} runs past the end of the data.");
        }

        return length;
    }
}

/// <summary>Accepts the several .NET shapes a caller may hold a value in.</summary>
internal static class AbiValueConvert
{
    internal static BigInteger ToBigInteger(object? value, string typeName) => value switch
    {
        BigInteger b => b,
        int i => i,
        long l => l,
        uint ui => ui,
        ulong ul => ul,
        short s => s,
        ushort us => us,
        byte by => by,
        sbyte sb => sb,
        decimal d when decimal.Truncate(d) == d => new BigInteger(d),
        _ => throw new AbiEncodingException($"{typeName} expects an integer, got {Describe(value)}."),
    };

    internal static EthereumAddress ToAddress(object? value)
    {
        try
        {
            return value switch
            {
                EthereumAddress a => a,
                string s => EthereumAddress.Parse(s),
                byte[] { Length: 20 } bytes => new EthereumAddress(bytes),
                _ => throw new AbiEncodingException($"address expects an address, got {Describe(value)}."),
            };
        }
        catch (InvalidAddressException ex)
        {
            throw new AbiEncodingException(ex.Message, ex);
        }
    }

    internal static byte[] ToBytes(object? value, string typeName)
    {
        try
        {
            return value switch
            {
                byte[] bytes => bytes,
                ReadOnlyMemory<byte> memory => memory.ToArray(),
                string hex when hex.HasHexPrefix() => hex.HexToByteArray(),
                _ => throw new AbiEncodingException($"{typeName} expects bytes or a 0x hex string, got {Describe(value)}."),
            };
        }
        catch (FormatException ex)
        {
            throw new AbiEncodingException($"{typeName}: {ex.Message}", ex);
        }
    }

    internal static string Describe(object? value) => value is null ? "null" : value.GetType().Name;
}
