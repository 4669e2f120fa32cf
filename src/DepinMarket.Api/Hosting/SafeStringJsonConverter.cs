using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using System.Text.Json.Serialization;
using DepinMarket.Domain;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// Every string a request body carries is refused, as a 400 naming the field, when it holds a control character
/// (<see cref="ControlCharacters"/>), before any handler or the database sees it.
/// </summary>
internal sealed class SafeStringJsonConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            // The framework's own message for a number or a bool where a string belongs names the field and the type.
            throw new JsonException($"The JSON value could not be converted to {typeof(string)}.");
        }
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped unpaired surrogate ("\ud800") cannot become a .NET string at all.
            throw new JsonFieldException(ControlCharacters.Refusal);
        }
        return ControlCharacters.AreIn(text) ? throw new JsonFieldException(ControlCharacters.Refusal) : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

internal static class SafeStringSchema
{
    /// <summary>
    /// A custom converter hides from the document generator that the value is a string; say so again, nullable
    /// where the property is.
    /// </summary>
    public static OpenApiOptions AddSafeStringSchemas(this OpenApiOptions options) =>
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(string) && schema.Type is null)
            {
                var nullable = context.JsonPropertyInfo is { } property && (property.IsGetNullable || property.IsSetNullable);
                schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            }
            else if (context.JsonTypeInfo.ElementType == typeof(string) && schema.Items is null or { Type: null })
            {
                schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
            }
            return Task.CompletedTask;
        });
}
