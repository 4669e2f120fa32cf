using System.Buffers.Text;
using System.Text.Json;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// The one encoding of every paging cursor the API hands out: the position as base64url JSON. Opaque to clients,
/// so its shape can change; a token that does not decode yields null, and each caller answers that with a 400.
/// </summary>
public static class OpaqueCursor
{
    public static string Encode<T>(T position) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(position));

    public static T? TryDecode<T>(string token) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(Base64Url.DecodeFromChars(token));
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
