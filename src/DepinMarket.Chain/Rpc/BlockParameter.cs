using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Rpc;

/// <summary>A block selector: a number or a tag (latest, pending, safe, finalized, earliest). Nethereum: <c>BlockParameter</c>.</summary>
[JsonConverter(typeof(BlockParameterJsonConverter))]
public readonly record struct BlockParameter
{
    private BlockParameter(string value) => Value = value;

    /// <summary>The JSON-RPC form: "latest" or "0x1b4".</summary>
    public string Value { get; }

    public static BlockParameter Latest => new("latest");

    public static BlockParameter Pending => new("pending");

    public static BlockParameter Earliest => new("earliest");

    public static BlockParameter Safe => new("safe");

    public static BlockParameter Finalized => new("finalized");

    /// <summary>A specific block number.</summary>
    public static BlockParameter FromNumber(BigInteger number) => new(number.ToHexQuantity());

    /// <inheritdoc />
    public override string ToString() => Value ?? "latest";
}

/// <summary>Writes a <see cref="BlockParameter"/> as its JSON-RPC string.</summary>
public sealed class BlockParameterJsonConverter : JsonConverter<BlockParameter>
{
    /// <inheritdoc />
    public override BlockParameter Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? "latest";
        return text switch
        {
            "latest" => BlockParameter.Latest,
            "pending" => BlockParameter.Pending,
            "earliest" => BlockParameter.Earliest,
            "safe" => BlockParameter.Safe,
            "finalized" => BlockParameter.Finalized,
            _ => BlockParameter.FromNumber(text.HexToBigInteger()),
        };
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, BlockParameter value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
