using System.Numerics;
using DepinMarket.Api.Features.Ledger;
using Npgsql;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>
/// Part of the ledger check: what the rental journals put into and took out of each client's escrow equals what its
/// rentals still hold (escrowed plus fee escrowed, less charges and refunds), in the check's snapshot. Only rental
/// journals count: escrow moved by any other journal is not a rental's, and this check is about the rentals' own
/// record agreeing with the ledger's. A difference names the account and both figures.
/// </summary>
internal sealed class RentalEscrowCheck : ILedgerCheckExtension
{
    private const string Sql = """
        with held as (
            select client_id, sum(escrowed + escrowed_fee - charged - charged_client_fee - refunded) as held
            from rentals group by client_id),
        escrow as (
            select l.account_id, sum(p.amount) as balance
            from ledger_accounts l
            join postings p on p.ledger_account_id = l.id
            join journals j on j.id = p.journal_id and j.kind in ('rental_escrow', 'rental_charge', 'rental_refund')
            where l.kind = 'escrow'
            group by l.account_id)
        select coalesce(h.client_id, e.account_id), coalesce(h.held, 0), coalesce(e.balance, 0)
        from held h full join escrow e on e.account_id = h.client_id
        where coalesce(h.held, 0) <> coalesce(e.balance, 0)
        order by 1 limit 100
        """;

    public string Name => "rental escrow";

    public async Task<IReadOnlyList<string>> DifferencesAsync(NpgsqlConnection connection, NpgsqlTransaction snapshot, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Sql, connection, snapshot);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var differences = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            differences.Add($"account {reader.GetGuid(0)}: its rentals hold {reader.GetFieldValue<BigInteger>(1)} base units, rental journals left its escrow at {reader.GetFieldValue<BigInteger>(2)}");
        }
        return differences;
    }
}
