using DepinMarket.Api.Data;
using DepinMarket.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DepinMarket.Api.Tests;

public sealed class SchemaTests(MarketApi api) : IClassFixture<MarketApi>
{
    /// <summary>
    /// The EF model and the SQL migrations are written by hand, separately; this is what keeps them honest:
    /// every mapped column exists with the same type and nullability, and every table column is mapped.
    /// </summary>
    [Fact]
    public async Task EF_model_and_migrated_schema_agree()
    {
        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        var columns = await ReadColumns();
        var problems = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var mapped = new HashSet<string>();
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName();
                mapped.Add(column);
                if (!columns.TryGetValue((table, column), out var actual))
                {
                    problems.Add($"{table}.{column} is mapped but missing from the schema");
                    continue;
                }
                var expectedType = Canonical(property.GetColumnType());
                if (expectedType != actual.Type)
                {
                    problems.Add($"{table}.{column}: EF says {expectedType}, the schema has {actual.Type}");
                }
                if (column != "xmin" && property.IsNullable != actual.Nullable)
                {
                    problems.Add($"{table}.{column}: EF nullable={property.IsNullable}, schema nullable={actual.Nullable}");
                }
            }
            problems.AddRange(columns.Keys.Where(k => k.Table == table && k.Column != "xmin" && !mapped.Contains(k.Column)).Select(k => $"{table}.{k.Column} is in the schema but not mapped"));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// Beyond columns: every table has an entity, and keys, indexes (columns, order, uniqueness, partial predicate),
    /// foreign keys (with their delete action) and CHECK constraints are declared in the EF model exactly as the
    /// migrations create them, so a constraint cannot be added, dropped or changed on one side only.
    /// </summary>
    [Fact]
    public async Task EF_model_and_migrated_schema_agree_on_tables_keys_indexes_and_constraints()
    {
        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        var model = db.GetService<IDesignTimeModel>().Model.GetRelationalModel();
        var tables = model.Tables.ToList();
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        var schema = new DatabaseSchema(connection);
        var problems = new List<string>();

        var unmapped = (await schema.TablesAsync()).Except(tables.Select(t => t.Name)).Except(TablesWithoutEntity.Keys);
        problems.AddRange(unmapped.Select(t => $"table {t} has no entity in the EF model (map it, or list it in {nameof(TablesWithoutEntity)} with a reason)"));

        var keys = await schema.PrimaryKeysAsync();
        foreach (var table in tables)
        {
            var key = (table.PrimaryKey!.Name, Columns(table.PrimaryKey.Columns));
            if (!keys.TryGetValue(table.Name, out var actual) || actual != key)
            {
                problems.Add($"{table.Name}: EF's primary key is {key}, the schema's {(keys.TryGetValue(table.Name, out var a) ? a.ToString() : "missing")}");
            }
        }

        var efIndexes = new List<IndexShape>();
        foreach (var table in tables)
        {
            foreach (var index in table.Indexes)
            {
                var predicate = index.Filter is null ? null : await schema.NormalisePredicateAsync(table.Name, index.Columns[0].Name, index.Filter);
                efIndexes.Add(new IndexShape(table.Name, index.Name, index.IsUnique, IndexColumns(index), predicate));
            }
        }
        Compare("index", efIndexes, await schema.IndexesAsync(), problems);

        var efForeignKeys = tables.SelectMany(t => t.ForeignKeyConstraints.Select(f => new ForeignKeyShape(
            t.Name, f.Name, Columns(f.Columns), f.PrincipalTable.Name, Columns(f.PrincipalColumns), f.OnDeleteAction.ToString())));
        Compare("foreign key", efForeignKeys, await schema.ForeignKeysAsync(), problems);

        var efChecks = new List<CheckShape>();
        foreach (var table in tables)
        {
            foreach (var check in table.CheckConstraints)
            {
                efChecks.Add(new CheckShape(table.Name, check.Name!, await schema.NormaliseCheckAsync(table.Name, check.Sql)));
            }
        }
        Compare("check constraint", efChecks, await schema.ChecksAsync(), problems);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Tables the migrations create that deliberately have no entity, each with the reason.</summary>
    private static readonly Dictionary<string, string> TablesWithoutEntity = new()
    {
        ["schema_migrations"] = "the migrator's own record of applied files, written with plain SQL before any model exists",
        ["node_heartbeats"] = "the raw heartbeat record: appended by the heartbeat statement, read by no query, partitioned by day and dropped whole (migration 0016)",
    };

    private static void Compare<T>(string what, IEnumerable<T> model, IEnumerable<T> database, List<string> problems)
    {
        var inModel = model.ToHashSet();
        var inDatabase = database.ToHashSet();
        problems.AddRange(inModel.Except(inDatabase).Select(x => $"{what} in the EF model but not in the schema: {x}"));
        problems.AddRange(inDatabase.Except(inModel).Select(x => $"{what} in the schema but not in the EF model: {x}"));
    }

    private static string Columns(IEnumerable<IColumnBase> columns) => string.Join(", ", columns.Select(c => c.Name));

    private static string IndexColumns(ITableIndex index) => string.Join(", ", index.Columns.Select((c, i) =>
        c.Name + (index.IsDescending is { } descending && (descending.Count == 0 || descending[i]) ? " DESC" : "")));

    [Fact]
    public async Task Migrating_again_applies_nothing()
    {
        var migrator = api.Services.GetRequiredService<Migrator>();
        Assert.Equal(0, await migrator.ApplyAsync(CancellationToken.None));
        Assert.Empty(await migrator.PendingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_migration_edited_after_it_was_applied_is_an_error()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var tamper = dataSource.CreateCommand("update schema_migrations set checksum = 'edited' where version = 1"))
        {
            await tamper.ExecuteNonQueryAsync();
        }
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new Migrator(dataSource, NullLogger<Migrator>.Instance).ApplyAsync(CancellationToken.None));
        Assert.Contains("edited after it was applied", error.Message);
    }

    [Fact]
    public async Task A_fresh_database_reports_every_migration_pending_and_ready_is_false()
    {
        await using var fresh = new UnmigratedApi();
        await fresh.InitializeAsync();
        await using var dataSource = NpgsqlDataSource.Create(fresh.ConnectionString);
        var pending = await new Migrator(dataSource, NullLogger<Migrator>.Instance).PendingAsync(CancellationToken.None);
        Assert.Equal(Migrator.Embedded.Select(m => m.Version), pending);

        var ready = await fresh.Client().GetAsync("/health/ready");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var report = System.Text.Json.Nodes.JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("Unhealthy", report["status"]!.GetValue<string>());
        Assert.Contains("Migrations not applied", report["checks"]!["database"]!["description"]!.GetValue<string>());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.Client().GetAsync("/health/ready")).StatusCode);
    }

    /// <summary>The API on a database nobody migrated (the API never migrates on its own).</summary>
    private sealed class UnmigratedApi : MarketApi, IAsyncDisposable
    {
        protected override Task<string> CreateDatabaseAsync() => PostgresServer.CreateEmptyDatabaseAsync();

        ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
    }

    private async Task<Dictionary<(string Table, string Column), (string Type, bool Nullable)>> ReadColumns()
    {
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        await using var command = dataSource.CreateCommand("""
            select c.relname, a.attname, format_type(a.atttypid, a.atttypmod), not a.attnotnull
            from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'schema_migrations'
              and (a.attnum > 0 or a.attname = 'xmin') and not a.attisdropped
            """);
        var columns = new Dictionary<(string, string), (string, bool)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns[(reader.GetString(0), reader.GetString(1))] = (Canonical(reader.GetString(2)), reader.GetBoolean(3));
        }
        return columns;
    }

    private static string Canonical(string type) => type.Replace(" ", "", StringComparison.Ordinal) switch
    {
        "timestampwithtimezone" => "timestamptz",
        "numeric(78,0)" => "numeric(78,0)",
        var other => other,
    };
}
