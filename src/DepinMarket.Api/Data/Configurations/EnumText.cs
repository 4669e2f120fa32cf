using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DepinMarket.Api.Data.Configurations;

/// <summary>Stores an enum as snake_case text ("read_only"), matching the CHECK constraints in SQL and the JSON spelling.</summary>
internal sealed class EnumText<TEnum>() : ValueConverter<TEnum, string>(
    value => SnakeCaseNames.ToSnakeCase(value.ToString()),
    text => Enum.Parse<TEnum>(text.Replace("_", "", StringComparison.Ordinal), true))
    where TEnum : struct, Enum
{
    /// <summary>
    /// The CHECK that a column holds one of the enum's values ("status in ('draft', 'active')"), written from the
    /// enum itself: a value added to the enum without a migration makes the schema test fail.
    /// </summary>
    public static string CheckIn(string column) => In(column, Enum.GetValues<TEnum>());

    /// <summary>"status in ('in_doubt', 'relayed')": a predicate on some of the enum's values (a partial index's filter).</summary>
    public static string In(string column, params TEnum[] values) =>
        $"{column} in ({string.Join(", ", values.Select(v => $"'{SnakeCaseNames.ToSnakeCase(v.ToString())}'"))})";
}
