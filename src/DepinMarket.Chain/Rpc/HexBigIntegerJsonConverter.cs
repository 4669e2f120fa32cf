using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Rpc;

/// <summary>
/// JSON-RPC quantities: hex strings on the wire ("0x1a"), <see cref="BigInteger"/> in .NET. Plain JSON numbers and
/// decimal strings are read too, because some nodes and proxies emit them for small fields.
/// </summary>
public sealed class HexBigIntegerJsonConverter : JsonConverter<BigInteger>
{
    /// <inheritdoc />
    public override BigInteger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return BigInteger.Parse(System.Text.Encoding.UTF8.GetString(reader.ValueSpan), NumberStyles.Integer, CultureInfo.InvariantCulture);
            case JsonTokenType.String:
                var text = reader.GetString()!;
                try
                {
                    return text.HasHexPrefix()
                        ? text.HexToBigInteger()
                        : BigInteger.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
                }
                catch (FormatException ex)
                {
                    throw new JsonException($"'{text}' is not a quantity.", ex);
                }

            default:
                throw new JsonException($"Expected a quantity, found {reader.TokenType}.");
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, BigInteger value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToHexQuantity());
    }
}
