using System.Text.Json;
using System.Text.Json.Serialization;

namespace DepinMarket.Domain.Money;

/// <summary>Reads and writes <see cref="TokenAmount"/> as a decimal string of whole tokens ("2.5").</summary>
public sealed class TokenAmountJsonConverter : JsonConverter<TokenAmount>
{
    public override TokenAmount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TokenAmount.TryParse(TokenJson.ReadString(ref reader, "\"2.5\""), out var amount, out var error) ? amount : throw new JsonFieldException(error);

    public override void Write(Utf8JsonWriter writer, TokenAmount value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}

/// <summary>Reads and writes <see cref="TokenDelta"/> as a signed decimal string of whole tokens ("-2.5").</summary>
public sealed class TokenDeltaJsonConverter : JsonConverter<TokenDelta>
{
    public override TokenDelta Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TokenDelta.TryParse(TokenJson.ReadString(ref reader, "\"-2.5\""), out var delta, out var error) ? delta : throw new JsonFieldException(error);

    public override void Write(Utf8JsonWriter writer, TokenDelta value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}

internal static class TokenJson
{
    /// <summary>
    /// The string a token value must arrive as. Anything else is refused with what was sent: a JSON number in
    /// particular, because many clients parse numbers as doubles and would already have rounded it.
    /// </summary>
    public static string ReadString(ref Utf8JsonReader reader, string example) => reader.TokenType switch
    {
        JsonTokenType.String => GetString(ref reader),
        JsonTokenType.Number => throw new JsonFieldException(
            $"must be a decimal string of whole tokens, such as {example}, not a JSON number: numbers lose precision in many JSON parsers."),
        JsonTokenType.Null => throw new JsonFieldException($"must be a decimal string of whole tokens, such as {example}, not null."),
        JsonTokenType.True or JsonTokenType.False => throw new JsonFieldException($"must be a decimal string of whole tokens, such as {example}, not true or false."),
        _ => throw new JsonFieldException($"must be a decimal string of whole tokens, such as {example}, not a JSON object or array."),
    };

    private static string GetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped unpaired surrogate ("\ud800") cannot become a .NET string at all.
            throw new JsonFieldException(ControlCharacters.Refusal);
        }
    }
}
