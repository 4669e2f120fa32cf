using System.Buffers.Text;
using System.Text.Json;
using DepinMarket.Domain;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// The one encoding of every paging cursor the API hands out: the position as base64url JSON. Opaque to clients,
/// so its shape can change; a token that does not decode yields null, and each caller answers that with a 400.
/// </summary>
public static class OpaqueCursor
{
    /// <summary>What every list says of a cursor it did not issue (or one that decodes to nonsense).</summary>
    public const string NotIssued = "is not a cursor this API issued; pass the nextCursor value of the previous page unchanged.";

    // A token must hold exactly the position's fields: {"x":1} is not a position whose fields all defaulted to zero.
    private static readonly JsonSerializerOptions Strict = new()
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static string Encode<T>(T position) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(position));

    public static T? TryDecode<T>(string token) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(Base64Url.DecodeFromChars(token), Strict);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The position in <paramref name="token"/>, if it decodes and <paramref name="isValid"/> accepts it; otherwise a 400 naming "cursor".</summary>
    public static T Decode<T>(string token, Func<T, bool> isValid) where T : class =>
        TryDecode<T>(token) is { } position && isValid(position)
            ? position
            : throw ValidationFailedException.For("cursor", NotIssued);

    /// <summary>The position in the request's "cursor" parameter, or null when there is none (the first page).</summary>
    public static T? FromQuery<T>(IQueryCollection query, Func<T, bool> isValid) where T : class =>
        query["cursor"].Count > 0 ? Decode(query["cursor"].ToString(), isValid) : null;
}

/// <summary>The cursor of a list paged newest first by (created at, id): the last item returned.</summary>
public sealed record NewestFirstCursor(DateTimeOffset CreatedAt, Guid Id)
{
    public string Encode() => OpaqueCursor.Encode(this);

    /// <remarks>The API issues cursors in UTC; Npgsql refuses any other offset for a timestamptz (a 500 if let through).</remarks>
    public static NewestFirstCursor? FromQuery(IQueryCollection query) =>
        OpaqueCursor.FromQuery<NewestFirstCursor>(query, c => c.Id != Guid.Empty && c.CreatedAt.Offset == TimeSpan.Zero);
}
