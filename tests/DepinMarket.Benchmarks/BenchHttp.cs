using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

/// <summary>The API calls the seeding commands make (money-accounts, heartbeat-nodes): a JSON POST whose failure stops the run with the API's answer.</summary>
internal static class BenchHttp
{
    /// <summary>POSTs <paramref name="body"/> as JSON, with the API key when one is given; the answer's JSON, or an exception carrying status and body.</summary>
    public static async Task<JsonObject> PostAsync(HttpClient http, string path, string? apiKey, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? (JsonObject)JsonNode.Parse(text)!
            : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
    }
}
