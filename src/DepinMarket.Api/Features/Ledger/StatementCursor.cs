using System.Buffers.Text;
using System.Text.Json;
using DepinMarket.Domain;

namespace DepinMarket.Api.Features.Ledger;

/// <summary>
/// The statement's opaque "nextCursor": the last posting returned, as base64url JSON (the offers' cursor style).
/// A token that does not decode is a 400 naming "cursor", never a silently wrong page.
/// </summary>
public sealed record StatementCursor(long Before)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    public static StatementCursor Decode(string token)
    {
        StatementCursor? cursor;
        try
        {
            cursor = JsonSerializer.Deserialize<StatementCursor>(Base64Url.DecodeFromChars(token));
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            cursor = null;
        }
        return cursor is { Before: > 0 }
            ? cursor
            : throw ValidationFailedException.For("cursor", "is not a cursor this API issued; pass the nextCursor value of the previous page unchanged.");
    }
}
