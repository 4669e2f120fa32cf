using System.Globalization;
using System.Linq.Expressions;
using System.Numerics;
using System.Runtime.CompilerServices;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Offers;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Offers.Search;

/// <summary>
/// A sort order with keyset pagination: rows are ordered by (key, id) and the next page starts after the
/// last (key, id) seen, written as a PostgreSQL row comparison "(key, id) > (@k, @id)" that the partial
/// search indexes answer directly, however deep the page.
/// </summary>
public abstract class SortOrder<TOffer> where TOffer : Offer
{
    public abstract string Description { get; }

    public abstract IQueryable<TOffer> Order(IQueryable<TOffer> query);

    /// <summary>Rows strictly after the cursor position.</summary>
    public abstract IQueryable<TOffer> After(IQueryable<TOffer> query, string key, Guid id);

    /// <summary>The key of a row as cursor text.</summary>
    public abstract string KeyOf(TOffer offer);

    /// <summary>Whether <paramref name="key"/> is a key this sort could have written: a forged cursor is a 400, not a 500.</summary>
    public abstract bool IsValidKey(string key);
}

public static class SortOrder
{
    /// <summary>The cursor key is the price in base units, an integer string.</summary>
    public static SortOrder<TOffer> CheapestFirst<TOffer>(Expression<Func<TOffer, TokenAmount>> price, string description) where TOffer : Offer =>
        new KeysetSort<TOffer, TokenAmount>(price, descending: false, description,
            k => new TokenAmount(BigInteger.Parse(k, NumberStyles.None, CultureInfo.InvariantCulture)), k => k.BaseUnits.ToString(CultureInfo.InvariantCulture));

    /// <summary>Highest first by a whole-number key (an offer without one sorts last, as −1).</summary>
    public static SortOrder<TOffer> HighestFirst<TOffer>(Expression<Func<TOffer, int>> key, string description) where TOffer : Offer =>
        new KeysetSort<TOffer, int>(key, descending: true, description,
            k => int.Parse(k, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), k => k.ToString(CultureInfo.InvariantCulture));

    /// <summary>Highest first by a decimal key (an offer without one sorts last, as −1).</summary>
    public static SortOrder<TOffer> HighestFirst<TOffer>(Expression<Func<TOffer, decimal>> key, string description) where TOffer : Offer =>
        new KeysetSort<TOffer, decimal>(key, descending: true, description,
            k => decimal.Parse(k, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture),
            k => k.ToString(CultureInfo.InvariantCulture));

    public static SortOrder<TOffer> NewestFirst<TOffer>() where TOffer : Offer =>
        new KeysetSort<TOffer, DateTimeOffset>(o => o.CreatedAt, descending: true, "Most recently listed first.",
            k => new DateTimeOffset(long.Parse(k, NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero),
            k => k.UtcTicks.ToString(CultureInfo.InvariantCulture));

    private sealed class KeysetSort<TOffer, TKey>(
        Expression<Func<TOffer, TKey>> key, bool descending, string description, Func<string, TKey> parse, Func<TKey, string> format)
        : SortOrder<TOffer> where TOffer : Offer
    {
        private static readonly Expression<Func<TOffer, Guid>> Id = o => o.Id;
        private readonly Func<TOffer, TKey> _compiledKey = key.Compile();

        public override string Description => description;

        public override IQueryable<TOffer> Order(IQueryable<TOffer> query) => descending
            ? query.OrderByDescending(key).ThenByDescending(Id)
            : query.OrderBy(key).ThenBy(Id);

        public override IQueryable<TOffer> After(IQueryable<TOffer> query, string keyText, Guid id)
        {
            var row = Expression.Convert(Tuple(key.Body, ParameterReplacer.Replace(Id.Body, Id.Parameters[0], key.Parameters[0])), typeof(ITuple));
            var cursor = Expression.Convert(Tuple(QueryParameter<TKey>.Of(parse(keyText)), QueryParameter<Guid>.Of(id)), typeof(ITuple));
            var compare = typeof(NpgsqlDbFunctionsExtensions).GetMethod(
                descending ? nameof(NpgsqlDbFunctionsExtensions.LessThan) : nameof(NpgsqlDbFunctionsExtensions.GreaterThan),
                [typeof(DbFunctions), typeof(ITuple), typeof(ITuple)])!;
            var functions = Expression.Property(null, typeof(EF), nameof(EF.Functions));
            var predicate = Expression.Lambda<Func<TOffer, bool>>(Expression.Call(compare, functions, row, cursor), key.Parameters);
            return query.Where(predicate);
        }

        public override string KeyOf(TOffer offer) => format(_compiledKey(offer));

        public override bool IsValidKey(string keyText)
        {
            try
            {
                // Only the canonical text this sort writes: "007" or "+7" parse, but no cursor of ours says that.
                return format(parse(keyText)) == keyText;
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                return false;
            }
        }

        private static MethodCallExpression Tuple(Expression first, Expression second) =>
            Expression.Call(typeof(ValueTuple), nameof(ValueTuple.Create), [typeof(TKey), typeof(Guid)], first, second);

    }
}
