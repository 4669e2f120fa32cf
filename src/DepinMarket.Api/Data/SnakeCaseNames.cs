using System.Text;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Data;

/// <summary>
/// Maps PascalCase properties to the snake_case columns the SQL migrations use, so that entity
/// configurations need not spell out every column name. (EFCore.NamingConventions does the same
/// but is one more package for ten lines.)
/// </summary>
internal static class SnakeCaseNames
{
    public static void Apply(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                // xmin is PostgreSQL's system column; its name is fixed.
                if (property.GetColumnName() != "xmin")
                {
                    property.SetColumnName(ToSnakeCase(property.Name));
                }
            }
        }
    }

    public static string ToSnakeCase(string name)
    {
        var result = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    result.Append('_');
                }
                result.Append(char.ToLowerInvariant(c));
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }
}
