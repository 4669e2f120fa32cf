using System.Globalization;
using System.Linq.Expressions;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Offers;

namespace DepinMarket.Api.Features.Offers.Search;

/// <summary>
/// A query-string filter a client may use: its name, what it means (shown in the API document and in the
/// 400 that lists allowed filters) and how a value becomes a SQL predicate. A value that does not parse
/// is refused with <see cref="FilterValueException"/> rather than ignored.
/// </summary>
public sealed record SearchFilter<TOffer>(
    string Name, string Description, string Example, Func<string, Expression<Func<TOffer, bool>>> Predicate,
    FilterValueType ValueType = FilterValueType.Text)
    where TOffer : Offer;

/// <summary>What a filter's value is, so the API document types it (Swagger UI then checks a number is a number).</summary>
public enum FilterValueType
{
    Text,
    WholeNumber,
    Boolean,
    /// <summary>A token amount: a decimal string ("2.5"), never a JSON number, like every amount of the API.</summary>
    TokenAmount,
}

public sealed class FilterValueException(string message) : Exception(message);

/// <summary>Builders for the usual shapes of filter, so each offer kind declares its filters in one line each.</summary>
public static class Filter
{
    public static SearchFilter<TOffer> AtLeast<TOffer>(string name, Expression<Func<TOffer, int>> field, string description, string example)
        where TOffer : Offer =>
        new(name, description, example, text => Compare(field, ParseWhole(name, text), ExpressionType.GreaterThanOrEqual), FilterValueType.WholeNumber);

    public static SearchFilter<TOffer> AtLeast<TOffer>(string name, Expression<Func<TOffer, long>> field, string description, string example)
        where TOffer : Offer =>
        new(name, description, example, text => Compare(field, (long)ParseWhole(name, text), ExpressionType.GreaterThanOrEqual), FilterValueType.WholeNumber);

    /// <summary>A price ceiling given in whole tokens ("1.5"), refused with the same reasons a request body's amount gets.</summary>
    public static SearchFilter<TOffer> AtMostAmount<TOffer>(string name, Expression<Func<TOffer, TokenAmount>> field, string description, string example)
        where TOffer : Offer =>
        new(name, description, example, text => TokenAmount.TryParse(text, out var amount, out var error)
            ? Compare(field, amount, ExpressionType.LessThanOrEqual)
            : throw new FilterValueException(error),
            FilterValueType.TokenAmount);

    /// <summary>Equality after normalising the value (e.g. "h100" → "H100"); normalise throws FilterValueException when it cannot.</summary>
    public static SearchFilter<TOffer> EqualTo<TOffer, TValue>(string name, Expression<Func<TOffer, TValue>> field, Func<string, TValue> normalise, string description, string example)
        where TOffer : Offer =>
        new(name, description, example, text => Compare(field, normalise(text), ExpressionType.Equal));

    public static SearchFilter<TOffer> IsTrue<TOffer>(string name, Expression<Func<TOffer, bool>> field, string description)
        where TOffer : Offer =>
        new(name, description, "true", text => text switch
        {
            "true" => Compare(field, true, ExpressionType.Equal),
            "false" => Compare(field, false, ExpressionType.Equal),
            _ => throw new FilterValueException($"must be true or false; got \"{text}\"."),
        }, FilterValueType.Boolean);

    /// <summary>
    /// An enum value by name, case-insensitively, and nothing else: Enum.TryParse alone also accepts numbers
    /// ("2") and comma lists ("text,image"), which a query string should never mean.
    /// </summary>
    public static bool TryParseName<TEnum>(string text, out TEnum value) where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && text.All(char.IsLetter);

    private static int ParseWhole(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FilterValueException($"must be a whole number from 0 to {int.MaxValue}; got \"{text}\".");

    private static Expression<Func<TOffer, bool>> Compare<TOffer, TValue>(Expression<Func<TOffer, TValue>> field, TValue value, ExpressionType comparison) =>
        Expression.Lambda<Func<TOffer, bool>>(
            Expression.MakeBinary(comparison, field.Body, QueryParameter<TValue>.Of(value)),
            field.Parameters);
}
