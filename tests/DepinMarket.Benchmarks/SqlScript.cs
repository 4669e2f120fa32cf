using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

/// <summary>
/// The raw-SQL twin of one money-moving request (sql-script-load): the statements of one or more files (each ends
/// with ';' at the end of a line), run one after the other, one round trip each, in one transaction on a pooled connection, as
/// the API runs its request. A statement binds @names from three places: the worker's row of the --vars table
/// ("name:type" header; uuid, bigint, numeric or text), the request's own values (@key: unique text for an
/// Idempotency-Key, @id: a fresh UUIDv7, @now), and the first row of any statement before it, by column name (so a
/// journal's id returned as journal_id by one statement is the @journal_id of the next; a column whose name is bound
/// already, like a locked row's "id", binds nothing). A new endpoint's baseline is a new file.
/// </summary>
internal sealed partial class SqlScript
{
    private readonly (string Sql, string[] Names)[] _statements;

    private SqlScript((string, string[])[] statements) => _statements = statements;

    [GeneratedRegex(@";[ \t]*(\r?\n|$)")]
    private static partial Regex StatementEnd();

    [GeneratedRegex(@"(?<![@:\w])@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"^\s*--.*$", RegexOptions.Multiline)]
    private static partial Regex Comment();

    /// <summary>The statements of <paramref name="files"/> (comma-separated), in order.</summary>
    public static SqlScript Load(string files)
    {
        var text = string.Join("\n", files.Split(',').Select(f => File.ReadAllText(f) + ";"));
        var statements = StatementEnd().Split(Comment().Replace(text, ""))
            .Select(s => s.Trim()).Where(s => s.Length > 0)
            .Select(s => (s, Parameter().Matches(s).Select(m => m.Groups[1].Value).Distinct().ToArray()))
            .ToArray();
        return statements.Length > 0 ? new SqlScript(statements) : throw new ArgumentException($"{files} holds no statement");
    }

    /// <summary>The --vars table: one dictionary of typed values per row.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, object>> LoadVars(string file)
    {
        var lines = File.ReadAllLines(file).Where(l => l.Length > 0).ToArray();
        var columns = lines[0].Split('\t').Select(c => c.Split(':', 2)).ToArray();
        var rows = lines.Skip(1).Select(line => (IReadOnlyDictionary<string, object>)line.Split('\t')
            .Select((value, i) => (Name: columns[i][0], Value: Typed(columns[i].ElementAtOrDefault(1) ?? "text", value)))
            .ToDictionary(v => v.Name, v => v.Value)).ToList();
        return rows.Count > 0 ? rows : throw new ArgumentException($"{file} has no rows under its header");
    }

    private static object Typed(string type, string value) => type switch
    {
        "uuid" => Guid.Parse(value),
        "bigint" => long.Parse(value, CultureInfo.InvariantCulture),
        "numeric" => System.Numerics.BigInteger.Parse(value, CultureInfo.InvariantCulture),
        "text" => value,
        _ => throw new ArgumentException($"unknown column type {type} (use uuid, bigint, numeric or text)"),
    };

    /// <summary>Runs the statements in one transaction and commits; returns the rows the last statement returned.</summary>
    public async Task<int> RunAsync(NpgsqlDataSource dataSource, IReadOnlyDictionary<string, object> vars, string key)
    {
        var values = new Dictionary<string, object>(vars, StringComparer.Ordinal)
        {
            ["key"] = key,
            ["id"] = Guid.CreateVersion7(),
            ["now"] = DateTimeOffset.UtcNow,
        };
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var rows = 0;
        foreach (var (sql, names) in _statements)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            foreach (var name in names)
            {
                var value = values.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"no value for @{name} in: {sql}");
                command.Parameters.Add(value is System.Numerics.BigInteger
                    ? new NpgsqlParameter(name, NpgsqlDbType.Numeric) { Value = value }
                    : new NpgsqlParameter(name, value));
            }
            await using var reader = await command.ExecuteReaderAsync();
            rows = 0;
            while (await reader.ReadAsync())
            {
                if (rows++ == 0)
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        values.TryAdd(reader.GetName(i), reader.GetValue(i));
                    }
                }
            }
        }
        await transaction.CommitAsync();
        return rows;
    }
}
