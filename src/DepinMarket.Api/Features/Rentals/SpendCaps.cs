using System.Numerics;
using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>
/// The account-wide daily spend cap: every commitment to rentals (a new rental's escrow, an extension) is added to
/// the day's total by one relative upsert, whose row lock makes two rentals at once count one after the other; a
/// total above the cap refuses the request (409, saying what is left today) and its transaction rolls back.
/// Refunds do not lower the total: the cap limits what may be put at risk in a day.
/// </summary>
public static class SpendCaps
{
    private const string CommitSql = """
        with up as (
            insert into spend_days (account_id, day, committed) values (@account, @day, @amount)
            on conflict (account_id, day) do update set committed = spend_days.committed + excluded.committed
            returning committed)
        select (select committed from up), (select per_day from spend_caps where account_id = @account)
        """;

    public static async Task CommitAsync(MarketDbContext db, Guid accountId, TokenAmount amount, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (connection, transaction) = RentalCapacity.Connection(db);
        await using var command = new NpgsqlCommand(CommitSql, connection, transaction);
        command.Parameters.AddWithValue("account", accountId);
        command.Parameters.AddWithValue("day", DateOnly.FromDateTime(now.UtcDateTime));
        command.Parameters.AddWithValue("amount", amount.BaseUnits);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var committed = reader.GetFieldValue<BigInteger>(0);
        if (!reader.IsDBNull(1) && committed > reader.GetFieldValue<BigInteger>(1))
        {
            var cap = new TokenAmount(reader.GetFieldValue<BigInteger>(1));
            // What was committed before this request; the total with it may lie above the largest token amount.
            var before = new TokenAmount(committed - amount.BaseUnits);
            var left = before < cap ? cap - before : TokenAmount.Zero;
            throw new DomainException(DomainErrorKind.Conflict, "Daily spend cap reached.",
                $"This would commit {amount} tokens to rentals; the daily spend cap of {cap} leaves {left} for today (UTC). " +
                "Raise or remove the cap at /v1/accounts/me/spend-cap, or wait for tomorrow.");
        }
    }

    public static WebApplication MapSpendCaps(this WebApplication app)
    {
        var group = app.MapGroup("/v1/accounts/me/spend-cap").WithTags("Rentals");
        group.MapGet("/", Get).RequireAuthorization(Policies.Read).WithName("GetSpendCap")
            .WithSummary("This account's daily spend cap on rentals and what it committed today");
        group.MapPut("/", Set).RequireAuthorization(Policies.Write).WithName("SetSpendCap")
            .WithSummary("Set the most this account may commit to rentals per UTC day (new rentals and extensions)")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapDelete("/", Remove).RequireAuthorization(Policies.Write).WithName("RemoveSpendCap")
            .WithSummary("Remove the daily spend cap");
        return app;
    }

    internal static async Task<Ok<SpendCapResponse>> Get(ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ReadAsync(db, user.AccountIdOf(), clock.Now(), cancellationToken));

    internal static async Task<Ok<SpendCapResponse>> Set(SpendCapRequest body, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var accountId = user.AccountIdOf();
        var now = clock.Now();
        var cap = await db.SpendCaps.SingleOrDefaultAsync(c => c.AccountId == accountId, cancellationToken);
        if (cap is null)
        {
            db.SpendCaps.Add(SpendCap.For(accountId, body.PerDay, now));
        }
        else
        {
            cap.Change(body.PerDay, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ReadAsync(db, accountId, now, cancellationToken));
    }

    internal static async Task<NoContent> Remove(ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var accountId = user.AccountIdOf();
        await db.SpendCaps.Where(c => c.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<SpendCapResponse> ReadAsync(MarketDbContext db, Guid accountId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var cap = await db.SpendCaps.AsNoTracking().Where(c => c.AccountId == accountId).Select(c => (TokenAmount?)c.PerDay).SingleOrDefaultAsync(cancellationToken);
        var committed = await db.SpendDays.AsNoTracking().Where(d => d.AccountId == accountId && d.Day == day).Select(d => d.Committed).SingleOrDefaultAsync(cancellationToken);
        TokenAmount? left = cap is { } c ? (committed < c ? c - committed : TokenAmount.Zero) : null;
        return new SpendCapResponse(cap, committed, left);
    }
}
