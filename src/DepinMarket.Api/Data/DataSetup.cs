using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace DepinMarket.Api.Data;

public static class DataSetup
{
    /// <summary>
    /// One NpgsqlDataSource for the whole process (EF Core and raw SQL share its connection pool);
    /// the DbContext is pooled because it is created on every request.
    /// </summary>
    public static WebApplicationBuilder AddMarketData(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Market")
            ?? throw new InvalidOperationException(
                "ConnectionStrings:Market is not set. Set it in appsettings or the ConnectionStrings__Market environment variable.");
        var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
        UseAutoPrepare(dataSourceBuilder.ConnectionStringBuilder);
        var dataSource = dataSourceBuilder.Build();
        builder.Services.AddSingleton(dataSource);
        var strict = builder.Environment.IsDevelopment();
        builder.Services.AddDbContextPool<MarketDbContext>(options =>
        {
            options.UseNpgsql(dataSource);
            // A client that hangs up cancels its request, and EF Core logs the cancelled transaction as an error
            // although nothing failed (docs/PERFORMANCE.md, "Renting under load"). A real failure still throws and is
            // logged where it is handled (the problem handler, the workers' loops).
            options.ConfigureWarnings(w => w.Log((RelationalEventId.TransactionError, LogLevel.Information)));
            // A row limit without an order picks arbitrary rows. In development (and the tests) such a query fails
            // loudly, so none slips into a feature; in production it stays a logged warning.
            if (strict)
            {
                options.ConfigureWarnings(w => w.Throw(CoreEventId.RowLimitingOperationWithoutOrderByWarning));
            }
        });
        builder.Services.AddOptions<MigrationOptions>().Bind(builder.Configuration.GetSection("Migrations"))
            .Validate(o => o.LockTimeout > TimeSpan.Zero, "Migrations:LockTimeout must be positive.");
        builder.Services.AddSingleton<Migrator>();
        return builder;
    }

    /// <summary>
    /// Statements sent again and again (the key lookup, the searches) are prepared on each connection after their
    /// second use, so PostgreSQL parses and analyses them once per connection instead of once per request (it still
    /// plans each execution for its values until a generic plan proves as good). EF Core's
    /// SQL is the same text for the same query shape, so a few dozen slots hold the whole hot path. A connection
    /// string that sets "Max Auto Prepare" itself (0 turns it off) wins.
    /// </summary>
    private static void UseAutoPrepare(NpgsqlConnectionStringBuilder settings)
    {
        // Keys lists the settings the string gives, under their canonical names; Npgsql's ContainsKey is true for
        // any setting it knows, given or not.
        if (!settings.Keys.Any(k => k == "Max Auto Prepare"))
        {
            settings.MaxAutoPrepare = 64;
            settings.AutoPrepareMinUsages = 2;
        }
    }
}
