using System.Numerics;
using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace DepinMarket.Api.Features.DepositWatcher;

/// <summary>
/// The caller's vault deposits, and the operator's view of deposits held in suspense with the move that assigns one
/// to its account. Assign is idempotent by state: the Idempotency-Key middleware covers only requests with an
/// account, not the operator's, so a second assign of the same deposit to the same account answers the first's
/// result and moves nothing (the journal's external reference "deposit-assign:id" is the database's guarantee).
/// </summary>
public static class WatchedDepositEndpoints
{
    public static WebApplication MapWatchedDeposits(this WebApplication app)
    {
        app.MapGet("/v1/deposits", ListWatchedDeposits)
            .WithTags("Money")
            .RequireAuthorization(Policies.Read)
            .AcceptsQuery()
            .WithName("ListWatchedDeposits")
            .WithSummary("This account's vault deposits, newest first (at most 100): confirming n/N, seen, credited, dropped");

        var admin = app.MapGroup("/v1/admin/deposits").WithTags("Admin").RequireAuthorization(Policies.Operator);
        admin.MapGet("/held", ListHeld)
            .AcceptsQuery()
            .WithName("ListHeldDeposits")
            .WithSummary("Deposits held in suspense because their reference named no account (at most 200, oldest first)");
        admin.MapPost("/{id}/assign", Assign)
            .WithName("AssignHeldDeposit")
            .WithSummary("Move a held deposit from suspense to an account's available balance (a repeat for the same account changes nothing)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    internal static async Task<Ok<List<WatchedDeposit>>> ListWatchedDeposits(ClaimsPrincipal user, NpgsqlDataSource dataSource, MarketChain chain,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WatchedDepositQueries.Select("where d.account_id = @account order by d.block_number desc, d.log_index desc limit 100"));
        command.Parameters.AddWithValue("account", user.AccountIdOf());
        return TypedResults.Ok(await WatchedDepositQueries.ReadAsync(command, chain.Options.ConfirmationDepth, cancellationToken));
    }

    internal static async Task<Ok<List<WatchedDeposit>>> ListHeld(NpgsqlDataSource dataSource, MarketChain chain, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WatchedDepositQueries.Select("where d.status = 'held' order by d.block_number, d.log_index limit 200"));
        return TypedResults.Ok(await WatchedDepositQueries.ReadAsync(command, chain.Options.ConfirmationDepth, cancellationToken));
    }

    // The id is read as text, so a malformed one is a 400 naming it rather than a 404 from the router.
    internal static async Task<Ok<WatchedDeposit>> Assign(string id, AssignDepositRequest? request, NpgsqlDataSource dataSource, MarketChain chain,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var depositId) || depositId < 1)
        {
            throw ValidationFailedException.For("id", $"must be a deposit id (a positive whole number); got \"{id}\".");
        }
        if (request?.AccountId is not { } accountId)
        {
            throw ValidationFailedException.For("accountId", "is required: the id of the account the deposit belongs to.");
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("select exists (select 1 from accounts where id = @id)", connection, transaction))
        {
            exists.Parameters.AddWithValue("id", accountId);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                throw ValidationFailedException.For("accountId", $"names no account: {accountId}.");
            }
        }
        var (status, owner, amount) = await LockAsync(connection, transaction, depositId, cancellationToken);
        if (status == "credited" && owner == accountId)
        {
            // Assigned (or credited) to this account already: the repeat changes nothing.
        }
        else if (status != "held")
        {
            throw new DomainException(DomainErrorKind.Conflict, "Deposit not held.",
                $"Deposit {depositId} is {status}{(owner is { } o ? $" to account {o}" : "")}; only a held deposit can be assigned.");
        }
        else
        {
            var ledger = await MarketLedgerAccounts.EnsureAsync(connection, transaction, accountId, cancellationToken);
            var journal = JournalDraft.Transfer(JournalKind.Transfer, $"deposit-assign:{depositId}", PlatformLedgerAccounts.Suspense,
                ledger[LedgerAccountKind.Available], new TokenAmount(amount), external: true);
            var now = clock.Now();
            var journalId = await LedgerPoster.PostAsync(connection, transaction, journal, now, cancellationToken);
            await using var update = new NpgsqlCommand(
                "update deposits set status = 'credited', account_id = @account, assign_journal_id = @journal where id = @id", connection, transaction);
            update.Parameters.AddWithValue("account", accountId);
            update.Parameters.AddWithValue("journal", journalId!.Value);
            update.Parameters.AddWithValue("id", depositId);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var read = new NpgsqlCommand(WatchedDepositQueries.Select("where d.id = @id"), connection, transaction);
        read.Parameters.AddWithValue("id", depositId);
        var deposit = (await WatchedDepositQueries.ReadAsync(read, chain.Options.ConfirmationDepth, cancellationToken))[0];
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(deposit);
    }

    private static async Task<(string Status, Guid? Owner, BigInteger Amount)> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select status, account_id, amount from deposits where id = @id for update", connection, transaction);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new DomainException(DomainErrorKind.NotFound, "No such deposit.", $"No deposit has id {id}.");
        }
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetFieldValue<BigInteger>(2));
    }
}
