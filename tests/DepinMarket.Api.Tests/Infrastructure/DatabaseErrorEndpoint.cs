using DepinMarket.Api.Data;
using DepinMarket.Domain.Faucet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// A test-only endpoint, <c>POST /test/database-error/{kind}</c>, that makes the real PostgreSQL raise one kind of
/// error inside a request, so the tests see what the API's own exception handler makes of it. It is added behind
/// the application's pipeline (after its endpoints), so the exception handler, problem details and request
/// logging of Program.cs all apply, exactly as to a real endpoint.
/// </summary>
internal sealed class DatabaseErrorEndpoint : IStartupFilter
{
    public const string Path = "/test/database-error/";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Use(async (context, nextMiddleware) =>
        {
            if (context.Request.Path.StartsWithSegments(Path.TrimEnd('/'), out var rest))
            {
                await RaiseAsync(rest.Value!.Trim('/'), context.RequestServices);
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
            await nextMiddleware(context);
        });
    };

    private static Task RaiseAsync(string kind, IServiceProvider services)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        return kind switch
        {
            "check" => OnOneConnection(dataSource, """
                create temp table amounts (amount integer not null constraint amount_is_positive check (amount > 0));
                insert into amounts values (0);
                """),
            "not-null" => OnOneConnection(dataSource, """
                create temp table names (name text not null);
                insert into names values (null);
                """),
            "foreign-key" => ForeignKeyThroughEf(services.GetRequiredService<MarketDbContext>()),
            "deadlock" => DeadlockAsync(dataSource),
            "serialization" => SerializationFailureAsync(dataSource),
            "too-many-connections" => TooManyConnectionsAsync(dataSource),
            _ => throw new ArgumentException($"No database error called {kind}."),
        };
    }

    private static async Task OnOneConnection(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// PostgreSQL's "too many connections" (53300), as a saturated server answers a new connection: a role whose
    /// connection limit is 0 gets the same SQLSTATE without filling the whole server.
    /// </summary>
    private static async Task TooManyConnectionsAsync(NpgsqlDataSource dataSource)
    {
        await using (var create = dataSource.CreateCommand(
            "do $$ begin if not exists (select from pg_roles where rolname = 'no_connections') then create role no_connections login connection limit 0; end if; end $$"))
        {
            await create.ExecuteNonQueryAsync();
        }
        var limited = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString) { Username = "no_connections", Pooling = false };
        await using var connection = new NpgsqlConnection(limited.ConnectionString);
        await connection.OpenAsync();
    }

    /// <summary>Through EF's SaveChanges, so the error arrives as a DbUpdateException around the PostgresException.</summary>
    private static async Task ForeignKeyThroughEf(MarketDbContext db)
    {
        db.FaucetGrants.Add(FaucetGrant.Reserve(Guid.NewGuid(), "0x0000000000000000000000000000000000000001", 1, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
    }

    /// <summary>Two transactions each lock a row and then want the other's: PostgreSQL aborts one of them.</summary>
    private static Task DeadlockAsync(NpgsqlDataSource dataSource) => WithScratchTable(dataSource, "(id integer primary key)", "values (1), (2)", async table =>
    {
        await using var a = await dataSource.OpenConnectionAsync();
        await using var b = await dataSource.OpenConnectionAsync();
        await using var txA = await a.BeginTransactionAsync();
        await using var txB = await b.BeginTransactionAsync();
        await Execute(a, $"update {table} set id = id where id = 1");
        await Execute(b, $"update {table} set id = id where id = 2");
        var first = Execute(a, $"update {table} set id = id where id = 2");
        var second = Execute(b, $"update {table} set id = id where id = 1");
        await RethrowFirstFailure(first, second);
    });

    /// <summary>
    /// Two serializable transactions each read what the other writes (write skew): the one that commits second
    /// cannot be ordered after the first, and PostgreSQL aborts it.
    /// </summary>
    private static Task SerializationFailureAsync(NpgsqlDataSource dataSource) => WithScratchTable(dataSource, "(k integer)", null, async table =>
    {
        await using var a = await dataSource.OpenConnectionAsync();
        await using var b = await dataSource.OpenConnectionAsync();
        await using var txA = await a.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
        await using var txB = await b.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
        await Execute(a, $"select count(*) from {table}");
        await Execute(b, $"select count(*) from {table}");
        await Execute(a, $"insert into {table} values (1)");
        await Execute(b, $"insert into {table} values (2)");
        await txA.CommitAsync();
        await txB.CommitAsync();
    });

    private static async Task RethrowFirstFailure(Task first, Task second)
    {
        try
        {
            await Task.WhenAll(first, second);
        }
        catch (PostgresException)
        {
            throw (first.IsFaulted ? first.Exception! : second.Exception!).InnerException!;
        }
    }

    /// <summary>A real table (both connections must see it), named for this request and dropped afterwards.</summary>
    private static async Task WithScratchTable(NpgsqlDataSource dataSource, string columns, string? rows, Func<string, Task> body)
    {
        var table = $"scratch_{Guid.NewGuid():N}";
        await OnOneConnection(dataSource, $"create table {table} {columns}" + (rows is null ? "" : $"; insert into {table} {rows}"));
        try
        {
            await body(table);
        }
        finally
        {
            await OnOneConnection(dataSource, $"drop table {table}");
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
