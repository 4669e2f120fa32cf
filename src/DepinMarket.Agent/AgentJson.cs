using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DepinMarket.Agent;

/// <summary>
/// The JSON dialect the agent speaks: camelCase as the API is, and nulls written out rather than left off. The API
/// refuses a body that lacks a member it requires, so "unknown" is said as null ("temperatureC": null), never by
/// silence. Reading is lenient (case-insensitive, unknown members ignored) so the API can add fields freely.
/// </summary>
public static class AgentJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    /// <summary>For the state file, which people read.</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.Strict,
            WriteIndented = indented,
            // Base64 keeps its '+' and '/' instead of \u002B: the JSON goes to an API and to scripts, never into HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
