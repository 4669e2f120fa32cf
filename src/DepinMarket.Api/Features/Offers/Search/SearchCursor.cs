using DepinMarket.Api.Hosting;

namespace DepinMarket.Api.Features.Offers.Search;

/// <summary>
/// The opaque "nextCursor" token: the sort it belongs to and the (key, id) of the last row returned,
/// as base64url JSON. Opaque to clients on purpose, so its shape can change; a token that does not decode,
/// or belongs to another sort, is a 400 rather than a silently wrong page.
/// </summary>
public sealed record SearchCursor(string Sort, string Key, Guid Id)
{
    public const string NotIssued = OpaqueCursor.NotIssued;

    public string Encode() => OpaqueCursor.Encode(this);

    public static SearchCursor Decode(string token, string expectedSort)
    {
        var cursor = OpaqueCursor.TryDecode<SearchCursor>(token);
        if (cursor is null || string.IsNullOrEmpty(cursor.Key) || cursor.Sort is null || cursor.Id == Guid.Empty)
        {
            throw new FilterValueException(NotIssued);
        }
        if (cursor.Sort != expectedSort)
        {
            throw new FilterValueException($"belongs to sort \"{cursor.Sort}\", but this request sorts by \"{expectedSort}\"; keep the same sort while paging.");
        }
        return cursor;
    }
}
