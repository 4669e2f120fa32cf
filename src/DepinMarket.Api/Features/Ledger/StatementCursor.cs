using DepinMarket.Api.Hosting;
using DepinMarket.Domain;

namespace DepinMarket.Api.Features.Ledger;

/// <summary>
/// The statement's opaque "nextCursor": the last posting returned, as base64url JSON (the offers' cursor style).
/// A token that does not decode is a 400 naming "cursor", never a silently wrong page.
/// </summary>
public sealed record StatementCursor(long Before)
{
    public string Encode() => OpaqueCursor.Encode(this);

    public static StatementCursor Decode(string token) =>
        OpaqueCursor.TryDecode<StatementCursor>(token) is { Before: > 0 } cursor
            ? cursor
            : throw ValidationFailedException.For("cursor", "is not a cursor this API issued; pass the nextCursor value of the previous page unchanged.");
}
