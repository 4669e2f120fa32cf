using System.Numerics;
using DepinMarket.Domain.Money;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;

namespace DepinMarket.Api.Features.Offers.Search;

/// <summary>
/// An offer's price per point of its provider's reputation (base units × 100 per reputation point, the score in tenths,
/// at least one tenth): the key of search's "value" sort. The same arithmetic runs in C# (for the cursor of the last row)
/// and in PostgreSQL (the function of migration 0021, for ordering), so a cursor always names a position the query can
/// continue from. An unscored provider counts as the lowest reputation, one tenth of a point.
/// </summary>
public static class PricePerReputation
{
    public static TokenAmount Of(TokenAmount price, decimal score)
    {
        var tenths = Math.Max(decimal.ToInt64(decimal.Floor(score * 10)), 1);
        return new TokenAmount(price.BaseUnits * 1000 / new BigInteger(tenths));
    }

    /// <summary>Maps <see cref="Of"/> to <c>price_per_reputation(price, score)</c>, typed like the price column it is given.</summary>
    public static void Register(ModelBuilder modelBuilder) =>
        modelBuilder.HasDbFunction(typeof(PricePerReputation).GetMethod(nameof(Of))!)
            .HasTranslation(args => new SqlFunctionExpression("price_per_reputation", args, nullable: true,
                argumentsPropagateNullability: [true, true], typeof(TokenAmount), args[0].TypeMapping));
}
