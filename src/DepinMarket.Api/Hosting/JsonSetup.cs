using System.Text.Json;
using System.Text.Json.Serialization;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Hosting;

/// <summary>One JSON dialect for requests, responses and the OpenAPI document.</summary>
public static class JsonSetup
{
    public static WebApplicationBuilder AddMarketJson(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(options => Configure(options.SerializerOptions));
        return builder;
    }

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Enums travel as snake_case strings ("read_only"); an unknown value is a 400, not a silent default.
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        // Token amounts travel as decimal strings of whole tokens ("2.5"); a bad one is a 400 that says why.
        options.Converters.Add(new TokenAmountJsonConverter());
        options.Converters.Add(new TokenDeltaJsonConverter());
        // No string may carry NUL or another control character: a 400 naming the field, never a database error.
        options.Converters.Add(new SafeStringJsonConverter());
        // {"price":"1","price":"900"} is a 400, not last-one-wins: a proxy and the API must not read different bodies.
        options.AllowDuplicateProperties = false;
        // A misspelt field ("pricePerGpuHr") is an error, not silently ignored: the same rule as search filters.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        // A missing required field or a null where none is allowed is a 400 that names the field.
        options.RespectRequiredConstructorParameters = true;
        options.RespectNullableAnnotations = true;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    }
}
