using DepinMarket.Api.Hosting;

namespace DepinMarket.Api.Features.Ledger;

/// <summary>
/// The statement's opaque "nextCursor": the last posting returned, as base64url JSON (the offers' cursor style).
/// A token that does not decode is a 400 naming "cursor", never a silently wrong page.
/// </summary>
public sealed record StatementCursor(long Before)
{
    public string Encode() => OpaqueCursor.Encode(this);

    public static StatementCursor Decode(string token) => OpaqueCursor.Decode<StatementCursor>(token, c => c.Before > 0);
}
