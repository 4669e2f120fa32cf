using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Util;

/// <summary>
/// A 20-byte Ethereum address as a value: compares by content (so "0xAbC…" and "0xabc…" are equal), prints in
/// EIP-55 checksum form, and can only be created from input that passed the strict parse. Stored as three integers so
/// <c>default</c> is the zero address rather than a null array.
/// </summary>
[JsonConverter(typeof(EthereumAddressJsonConverter))]
public readonly struct EthereumAddress : IEquatable<EthereumAddress>, IParsable<EthereumAddress>
{
    private readonly ulong _high;
    private readonly ulong _middle;
    private readonly uint _low;

    /// <summary>Address from exactly 20 bytes.</summary>
    public EthereumAddress(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 20)
        {
            throw new ArgumentException($"An address is 20 bytes; got {bytes.Length}.", nameof(bytes));
        }

        _high = BinaryPrimitives.ReadUInt64BigEndian(bytes[..8]);
        _middle = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..16]);
        _low = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
    }

    /// <summary>0x0000000000000000000000000000000000000000.</summary>
    public static EthereumAddress Zero => default;

    /// <summary>True for the zero address (a common "not set" or burn value).</summary>
    public bool IsZero => _high == 0 && _middle == 0 && _low == 0;

    /// <summary>The 20 address bytes.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[20];
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(0, 8), _high);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8, 8), _middle);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16, 4), _low);
        return bytes;
    }

    /// <summary>All lower-case, 0x-prefixed (the form to store and compare as text).</summary>
    public string ToLowerHex() => ToArray().ToHex(prefix: true);

    /// <summary>EIP-55 checksum form.</summary>
    public override string ToString() => ApplyChecksum(ToArray().ToHex());

    /// <summary>
    /// Strict parse: 0x + 40 hex digits; all-lower and all-upper are accepted as un-checksummed, mixed case must match
    /// the EIP-55 checksum.
    /// </summary>
    /// <exception cref="InvalidAddressException">With a <see cref="AddressError"/> saying why.</exception>
    public static EthereumAddress Parse(string value)
    {
        if (TryParse(value, out var address, out var error))
        {
            return address;
        }

        throw new InvalidAddressException(error, $"'{Shorten(value)}' is not a valid address: {InvalidAddressException.Describe(error)}.");
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static EthereumAddress Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <summary>Strict parse without exceptions.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out EthereumAddress result) => TryParse(s, out result, out _);

    /// <inheritdoc cref="TryParse(string?, out EthereumAddress)"/>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out EthereumAddress result) =>
        TryParse(s, out result, out _);

    /// <summary>Strict parse that also says why the input was rejected.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out EthereumAddress result, out AddressError error)
    {
        result = default;
        if (!IsValid(s, out error))
        {
            return false;
        }

        result = new EthereumAddress(Convert.FromHexString(s.AsSpan(2)));
        return true;
    }

    /// <summary>True when both hold the same 20 bytes.</summary>
    public bool Equals(EthereumAddress other) => _high == other._high && _middle == other._middle && _low == other._low;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EthereumAddress other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_high, _middle, _low);

    public static bool operator ==(EthereumAddress left, EthereumAddress right) => left.Equals(right);

    public static bool operator !=(EthereumAddress left, EthereumAddress right) => !left.Equals(right);

    /// <summary>The strict validation rule; <paramref name="error"/> says why when it returns false.</summary>
    private static bool IsValid([NotNullWhen(true)] string? value, out AddressError error)
    {
        error = AddressError.Empty;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        error = AddressError.MissingPrefix;
        if (!value.StartsWith("0x", StringComparison.Ordinal))
        {
            return false;
        }

        error = AddressError.WrongLength;
        var digits = value.AsSpan(2);
        if (digits.Length != 40)
        {
            return false;
        }

        error = AddressError.NotHex;
        bool hasUpper = false, hasLower = false;
        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }

            hasUpper |= c is >= 'A' and <= 'F';
            hasLower |= c is >= 'a' and <= 'f';
        }

        // All-lower or all-upper carries no checksum claim; mixed case must be exactly the EIP-55 form.
        error = AddressError.ChecksumMismatch;
        if (hasUpper && hasLower && !string.Equals(ApplyChecksum(value[2..].ToLowerInvariant()), value, StringComparison.Ordinal))
        {
            return false;
        }

        error = default;
        return true;
    }

    /// <summary>EIP-55: upper-case the i-th hex letter when the i-th nibble of keccak(lower-case hex) is 8 or more.</summary>
    internal static string ApplyChecksum(string lowerHexWithoutPrefix)
    {
        var hash = Sha3Keccack.Hash(Encoding.ASCII.GetBytes(lowerHexWithoutPrefix));
        var result = new StringBuilder("0x", 42);
        for (var i = 0; i < lowerHexWithoutPrefix.Length; i++)
        {
            var c = lowerHexWithoutPrefix[i];
            var nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f;
            result.Append(nibble >= 8 ? char.ToUpperInvariant(c) : c);
        }

        return result.ToString();
    }

    private static string Shorten(string? value) => value is null ? "null" : value.Length <= 60 ? value : value[..57] + "...";
}

/// <summary>Reads an address with the strict parse (a bad checksum is a JSON error) and writes the checksum form.</summary>
public sealed class EthereumAddressJsonConverter : JsonConverter<EthereumAddress>
{
    /// <inheritdoc />
    public override EthereumAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("An address must be a JSON string.");
        }

        var text = reader.GetString();
        if (!EthereumAddress.TryParse(text, out var address, out var error))
        {
            throw new JsonException($"Invalid address: {InvalidAddressException.Describe(error)}.", new InvalidAddressException(error, InvalidAddressException.Describe(error)));
        }

        return address;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, EthereumAddress value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
