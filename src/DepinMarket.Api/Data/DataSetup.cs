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
        var dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
        builder.Services.AddSingleton(dataSource);
        var strict = builder.Environment.IsDevelopment();
        builder.Services.AddDbContextPool<MarketDbContext>(options =>
        {
            options.UseNpgsql(dataSource);
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
}
