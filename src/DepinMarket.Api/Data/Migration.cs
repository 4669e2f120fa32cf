using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace DepinMarket.Api.Data;

/// <summary>
/// One versioned SQL file embedded in the assembly ("0001_initial.sql"). A file whose first line is
/// <see cref="NoTransactionMarker"/> runs outside a transaction, one statement at a time: what
/// <c>CREATE INDEX CONCURRENTLY</c> on a live table needs. Such a file must be safe to run again from the top
/// (<c>IF NOT EXISTS</c>, <c>DROP … IF EXISTS</c> first), because a failure half way leaves its earlier statements applied.
/// </summary>
public sealed partial record Migration(int Version, string Name, string Sql)
{
    public const string NoTransactionMarker = "-- migrate:no-transaction";

    /// <summary>
    /// SHA-256 of the text with its line endings made LF: a Windows checkout (CRLF) of an applied file is the same
    /// file, and must not be refused as edited. Computed on each read, so a copy made with <c>with</c> cannot keep a stale one.
    /// </summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    public bool RunsInTransaction => !Sql.TrimStart('\uFEFF').StartsWith(NoTransactionMarker, StringComparison.Ordinal);

    public string FileName => $"{Version:D4}_{Name}";

    /// <summary>
    /// The statements of a no-transaction file, each ending with ";" at the end of a line. They are sent one by
    /// one: several statements in one command run as one implicit transaction, which CONCURRENTLY refuses.
    /// </summary>
    public IReadOnlyList<string> Statements() =>
        [.. StatementEnd().Split(Sql.ReplaceLineEndings("\n")).Where(s => !IsOnlyComments(s)).Select(s => s.Trim())];

    private static bool IsOnlyComments(string chunk) =>
        chunk.Split('\n').All(line => line.Trim().Length == 0 || line.TrimStart().StartsWith("--", StringComparison.Ordinal));

    [GeneratedRegex(@";[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex StatementEnd();
}
