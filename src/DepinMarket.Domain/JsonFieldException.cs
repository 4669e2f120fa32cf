using System.Text.Json;

namespace DepinMarket.Domain;

/// <summary>
/// A JSON value a converter refused, with the reason phrased to follow the field's name ("has 19 decimals;
/// the token has at most 18.", "must not contain control characters"). The API's error handler puts
/// <see cref="Reason"/> under the field's JSON path in a 400.
/// </summary>
public sealed class JsonFieldException(string reason) : JsonException(reason)
{
    public string Reason { get; } = reason;
}
