using Npgsql;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>An index as PostgreSQL describes it: columns in order, "DESC" after a descending one, the predicate normalised.</summary>
public sealed record IndexShape(string Table, string Name, bool Unique, string Columns, string? Predicate);

/// <summary>A foreign key: its columns, the table and columns it refers to, and what deleting the referred row does.</summary>
public sealed record ForeignKeyShape(string Table, string Name, string Columns, string PrincipalTable, string PrincipalColumns, string OnDelete);

/// <summary>A CHECK constraint with its expression as PostgreSQL prints it.</summary>
public sealed record CheckShape(string Table, string Name, string Definition);

/// <summary>
/// Reads the migrated schema of the public namespace from PostgreSQL's catalogs, and normalises SQL fragments
/// written elsewhere (the EF model's CHECK expressions and index filters) by letting PostgreSQL parse and print
/// them, so "a between 1 and 100" and "((a &gt;= 1) AND (a &lt;= 100))" compare equal.
/// </summary>
public sealed class DatabaseSchema(NpgsqlConnection connection)
{
    public async Task<IReadOnlyList<string>> TablesAsync() => await ReadAsync(
        "select relname from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') order by 1",
        r => r.GetString(0));

    public async Task<IReadOnlyDictionary<string, (string Name, string Columns)>> PrimaryKeysAsync() =>
        (await ReadAsync("""
            select t.relname, c.conname, (select string_agg(a.attname, ', ' order by k.ordinality)
                from unnest(c.conkey) with ordinality k(attnum, ordinality) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum)
            from pg_constraint c join pg_class t on t.oid = c.conrelid
            where c.connamespace = 'public'::regnamespace and c.contype = 'p'
            """, r => (Table: r.GetString(0), Name: r.GetString(1), Columns: r.GetString(2))))
        .ToDictionary(k => k.Table, k => (k.Name, k.Columns));

    /// <summary>Every index but the primary keys'.</summary>
    public Task<IReadOnlyList<IndexShape>> IndexesAsync() => ReadAsync("""
        select t.relname, c.relname, i.indisunique,
               (select string_agg(pg_get_indexdef(i.indexrelid, k.n::int, true) || case when i.indoption[k.n - 1] & 1 = 1 then ' DESC' else '' end, ', ' order by k.n)
                from generate_series(1, i.indnkeyatts) k(n)),
               pg_get_expr(i.indpred, i.indrelid, true)
        from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
        where t.relnamespace = 'public'::regnamespace and not i.indisprimary
        """, r => new IndexShape(r.GetString(0), r.GetString(1), r.GetBoolean(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)));

    public Task<IReadOnlyList<ForeignKeyShape>> ForeignKeysAsync() => ReadAsync("""
        select t.relname, c.conname, p.relname,
               (select string_agg(a.attname, ', ' order by k.o) from unnest(c.conkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n),
               (select string_agg(a.attname, ', ' order by k.o) from unnest(c.confkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n),
               case c.confdeltype when 'a' then 'NoAction' when 'r' then 'Restrict' when 'c' then 'Cascade' when 'n' then 'SetNull' when 'd' then 'SetDefault' end
        from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_class p on p.oid = c.confrelid
        where c.connamespace = 'public'::regnamespace and c.contype = 'f'
        """, r => new ForeignKeyShape(r.GetString(0), r.GetString(1), r.GetString(3), r.GetString(2), r.GetString(4), r.GetString(5)));

    public Task<IReadOnlyList<CheckShape>> ChecksAsync() => ReadAsync("""
        select t.relname, c.conname, pg_get_constraintdef(c.oid, true)
        from pg_constraint c join pg_class t on t.oid = c.conrelid
        where c.connamespace = 'public'::regnamespace and c.contype = 'c'
        """, r => new CheckShape(r.GetString(0), r.GetString(1), Normalise(r.GetString(2))));

    /// <summary>How PostgreSQL prints <paramref name="sql"/> as a CHECK on <paramref name="table"/> (the way <see cref="ChecksAsync"/> reads them).</summary>
    public async Task<string> NormaliseCheckAsync(string table, string sql) =>
        await InScratchCopyOf(table, async copy =>
        {
            await ExecuteAsync($"alter table {copy} add constraint probe check ({sql}) not valid");
            return Normalise((await ReadAsync($"select pg_get_constraintdef(oid, true) from pg_constraint where conrelid = '{copy}'::regclass and conname = 'probe'",
                r => r.GetString(0))).Single());
        });

    /// <summary>How PostgreSQL prints <paramref name="sql"/> as an index predicate on <paramref name="table"/>.</summary>
    public async Task<string> NormalisePredicateAsync(string table, string firstColumn, string sql) =>
        await InScratchCopyOf(table, async copy =>
        {
            await ExecuteAsync($"create index probe on {copy} ({firstColumn}) where {sql}");
            return (await ReadAsync("select pg_get_expr(indpred, indrelid, true) from pg_index where indexrelid = 'probe'::regclass",
                r => r.GetString(0))).Single();
        });

    // NOT VALID is how a constraint was added, not what it checks.
    private static string Normalise(string definition) => definition.Replace(" NOT VALID", "", StringComparison.Ordinal);

    /// <summary>A temporary copy of the table's columns, dropped again, so probes never touch the real table.</summary>
    private async Task<T> InScratchCopyOf<T>(string table, Func<string, Task<T>> probe)
    {
        const string Copy = "pg_temp.schema_probe";
        await ExecuteAsync($"drop table if exists {Copy}; create table {Copy} (like public.{table})");
        try
        {
            return await probe(Copy);
        }
        finally
        {
            await ExecuteAsync($"drop table {Copy}");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<IReadOnlyList<T>> ReadAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}
