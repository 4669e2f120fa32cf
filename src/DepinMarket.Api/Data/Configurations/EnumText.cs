using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DepinMarket.Api.Data.Configurations;

/// <summary>Stores an enum as snake_case text ("read_only"), matching the CHECK constraints in SQL and the JSON spelling.</summary>
internal sealed class EnumText<TEnum>() : ValueConverter<TEnum, string>(
    value => SnakeCaseNames.ToSnakeCase(value.ToString()),
    text => Enum.Parse<TEnum>(text.Replace("_", "", StringComparison.Ordinal), true))
    where TEnum : struct, Enum;
