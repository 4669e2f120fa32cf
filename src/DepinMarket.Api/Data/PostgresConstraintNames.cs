using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DepinMarket.Api.Data;

/// <summary>
/// Gives primary and foreign keys the names PostgreSQL gives them when the SQL migrations leave them unnamed
/// ("accounts_pkey", "api_keys_account_id_fkey"), so the EF model names the constraints the database has and
/// the schema test can compare them. A name set in a configuration is kept.
/// </summary>
internal static class PostgresConstraintNames
{
    public static void Apply(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (entity.FindPrimaryKey() is IConventionKey key && key.GetNameConfigurationSource() is null)
            {
                key.SetName($"{table}_pkey");
            }
            foreach (var foreignKey in entity.GetForeignKeys().OfType<IConventionForeignKey>())
            {
                if (foreignKey.GetConstraintNameConfigurationSource() is null)
                {
                    foreignKey.SetConstraintName($"{table}_{string.Join("_", foreignKey.Properties.Select(p => p.GetColumnName()))}_fkey");
                }
            }
        }
    }
}
