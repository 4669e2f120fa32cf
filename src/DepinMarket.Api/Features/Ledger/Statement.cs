using DepinMarket.Api.Hosting;
using System.Globalization;
using System.Numerics;
using System.Text;
using DepinMarket.Domain;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Npgsql;

namespace DepinMarket.Api.Features.Ledger;

/// <summary>An account's statement: its postings newest first, in keyset pages by posting id.</summary>
public static class Statement
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    // Counterpart: the journal's other postings, named from the caller's point of view (never another account's id).
    private const string Sql = """
        select p.id, p.journal_id, j.kind, la.kind, p.amount, p.balance_after, j.reference, j.created_at,
               (select string_agg(distinct case when o.account_id is null or o.account_id = @account then o.kind else 'another account' end, ',')
                from postings op join ledger_accounts o on o.id = op.ledger_account_id
                where op.journal_id = p.journal_id and op.id <> p.id) as counterpart
        from postings p
        join ledger_accounts la on la.id = p.ledger_account_id
        join journals j on j.id = p.journal_id
        where la.account_id = @account and p.id < @before
        order by p.id desc
        limit @take
        """;

    public static async Task<StatementPage> ReadAsync(NpgsqlDataSource dataSource, Guid accountId, int limit, StatementCursor? cursor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue("account", accountId);
        command.Parameters.AddWithValue("before", cursor?.Before ?? long.MaxValue);
        command.Parameters.AddWithValue("take", limit + 1);
        var lines = new List<StatementLine>();
        long lastId = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (lines.Count < limit && await reader.ReadAsync(cancellationToken))
        {
            lastId = reader.GetInt64(0);
            lines.Add(new StatementLine(
                reader.GetInt64(1),
                Enum.Parse<JournalKind>(reader.GetString(2).Replace("_", "", StringComparison.Ordinal), ignoreCase: true),
                LedgerAccountKindText.Parse(reader.GetString(3)),
                new TokenDelta(reader.GetFieldValue<BigInteger>(4)),
                new TokenAmount(reader.GetFieldValue<BigInteger>(5)),
                reader.IsDBNull(8) ? "" : reader.GetString(8),
                reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }
        var more = lines.Count == limit && await reader.ReadAsync(cancellationToken);
        return new StatementPage(lines, more ? new StatementCursor(lastId).Encode() : null);
    }

    /// <exception cref="ValidationFailedException">limit is not 1 to 200.</exception>
    public static int ParseLimit(string? text) => PageLimit.Parse(text, DefaultLimit, MaxLimit);

    /// <summary>The page as CSV (RFC 4180) for accountants: one header line, then one line per posting.</summary>
    public static string ToCsv(StatementPage page)
    {
        var csv = new StringBuilder("journal_id,kind,account,amount,balance_after,counterpart,reference,at\r\n");
        foreach (var line in page.Lines)
        {
            csv.AppendJoin(',',
                line.JournalId.ToString(CultureInfo.InvariantCulture),
                SnakeCase(line.Kind.ToString()),
                line.Account.Text(),
                line.Amount.ToString(),
                line.BalanceAfter.ToString(),
                Quote(line.Counterpart),
                Quote(line.Reference),
                line.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)).Append("\r\n");
        }
        return csv.ToString();
    }

    private static string SnakeCase(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    // A spreadsheet runs a cell that starts with =, +, - or @ as a formula: such text cells get a leading apostrophe.
    private static string Quote(string text)
    {
        var safe = text.Length > 0 && text[0] is '=' or '+' or '-' or '@' ? "'" + text : text;
        return safe.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
