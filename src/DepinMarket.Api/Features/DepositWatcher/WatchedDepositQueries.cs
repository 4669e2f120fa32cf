using System.Numerics;
using DepinMarket.Domain.Money;
using Npgsql;

namespace DepinMarket.Api.Features.DepositWatcher;

/// <summary>Reads deposit rows into <see cref="WatchedDeposit"/>, confirmations counted from the head the watcher last saw.</summary>
internal static class WatchedDepositQueries
{
    private const string Columns = """
        select d.id, d.status, coalesce((select head_block from deposit_scan where id = 1), d.block_number) - d.block_number + 1,
               d.amount, d.tx_hash, d.log_index, d.block_number, d.from_address, d.reference, d.account_id, coalesce(d.assign_journal_id, d.journal_id),
               d.seen_at, d.credited_at
        from deposits d
        """;

    public static string Select(string where) => $"{Columns} {where}";

    public static async Task<List<WatchedDeposit>> ReadAsync(NpgsqlCommand command, int required, CancellationToken cancellationToken)
    {
        var rows = new List<WatchedDeposit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var confirmations = (int)Math.Max(0, reader.GetInt64(2));
            var status = reader.GetString(1) switch
            {
                "pending" => confirmations < required ? "confirming" : "seen",
                "reorged" => "dropped",
                var other => other,
            };
            rows.Add(new WatchedDeposit(reader.GetInt64(0), status, confirmations, required, new TokenAmount(reader.GetFieldValue<BigInteger>(3)),
                reader.GetString(4), reader.GetInt32(5), reader.GetInt64(6), reader.GetString(7), "0x" + Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(8)),
                reader.IsDBNull(9) ? null : reader.GetGuid(9), reader.IsDBNull(10) ? null : reader.GetInt64(10),
                reader.GetFieldValue<DateTimeOffset>(11), reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12)));
        }
        return rows;
    }
}
