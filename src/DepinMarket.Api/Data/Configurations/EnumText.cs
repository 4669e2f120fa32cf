using System.Text;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DepinMarket.Api.Data.Configurations;

/// <summary>Stores an enum as snake_case text ("read_only"), matching the CHECK constraints in SQL.</summary>
internal sealed class EnumText<TEnum>() : ValueConverter<TEnum, string>(
    value => ToText(value),
    text => Enum.Parse<TEnum>(text.Replace("_", "", StringComparison.Ordinal), true))
    where TEnum : struct, Enum
{
    private static string ToText(TEnum value)
    {
        var name = value.ToString();
        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                text.Append('_');
            }
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }
}
