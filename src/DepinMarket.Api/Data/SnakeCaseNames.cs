using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Data;

/// <summary>
/// Maps PascalCase properties to the snake_case columns the SQL migrations use, so that entity
/// configurations need not spell out every column name. The conversion is System.Text.Json's snake_case
/// policy, the one the API's JSON enums use too, so a name is spelt the same in a column, a stored enum
/// and a response. (EFCore.NamingConventions does the same but is one more package.)
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

    public static string ToSnakeCase(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
