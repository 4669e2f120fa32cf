using System.Text.Json.Nodes;
using DepinMarket.Domain.Money;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// Token amounts in the OpenAPI document as what travels on the wire: a string with a pattern and an
/// example, not the struct's members. Generators then give clients a string, which no JSON parser rounds.
/// </summary>
internal static class TokenAmountSchema
{
    /// <summary>Digits, optionally a point and 1 to 18 more digits; the uint256 ceiling is beyond a pattern's reach and stated in words.</summary>
    public const string AmountPattern = @"^[0-9]+(\.[0-9]{1,18})?$";

    public const string DeltaPattern = @"^-?[0-9]+(\.[0-9]{1,18})?$";

    public static OpenApiOptions AddTokenAmountSchemas(this OpenApiOptions options) =>
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
            if (type == typeof(TokenAmount))
            {
                DescribeAsString(schema, AmountPattern, "2.5",
                    "A token amount in whole tokens as a decimal string: digits, then optionally a point and at most 18 decimals. " +
                    "Never negative and at most 2^256-1 base units (a uint256). A string, never a JSON number, so no parser rounds it.");
            }
            else if (type == typeof(TokenDelta))
            {
                DescribeAsString(schema, DeltaPattern, "-2.5",
                    "A signed change of a token balance in whole tokens as a decimal string: an optional leading '-', digits, then optionally " +
                    "a point and at most 18 decimals. At most 2^256-1 base units either way. A string, never a JSON number.");
            }
            return Task.CompletedTask;
        });

    private static void DescribeAsString(OpenApiSchema schema, string pattern, string example, string description)
    {
        // Replaces the struct's own doc comment, which is written for this code's readers, not for clients.
        schema.Description = description;
        var nullable = schema.Type?.HasFlag(JsonSchemaType.Null) == true;
        schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        schema.Format = null;
        schema.Pattern = pattern;
        schema.Properties = null;
        schema.Required = null;
        schema.AdditionalProperties = null;
        schema.AdditionalPropertiesAllowed = true;
        schema.Examples = [JsonValue.Create(example)];
    }
}
