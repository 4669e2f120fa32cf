using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DepinMarket.Api.Features.Ledger;

/// <summary>Reading money: balances, the statement (JSON or CSV), and the operator's ledger check.</summary>
public static class LedgerEndpoints
{
    public static WebApplication MapLedgerEndpoints(this WebApplication app)
    {
        app.MapGet("/v1/balances", Balances)
            .WithTags("Money")
            .RequireAuthorization(Policies.Read)
            .WithName("GetBalances")
            .WithSummary("This account's balances: available, escrow, earnings, stake, settling (whole tokens)");

        app.MapGet("/v1/ledger", StatementOf)
            .WithTags("Money")
            .RequireAuthorization(Policies.Read)
            .WithName("GetStatement")
            .WithSummary("This account's statement, newest first, in pages (limit ≤ 200, cursor = nextCursor); format=csv for a spreadsheet")
            .WithDescription("With format=csv the answer is text/csv, and the next page's address is in the Link header (rel=\"next\").")
            .AcceptsQuery("limit", "cursor", "format")
            .Produces<StatementPage>()
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        app.MapGet("/v1/admin/ledger/check", Check)
            .WithTags("Admin")
            .RequireAuthorization(Policies.Operator)
            .WithName("CheckLedger")
            .WithSummary("Verify the ledger in one snapshot: journals sum to zero, balances equal their postings, none below zero but the chain's, all sum to zero");

        return app;
    }

    internal static async Task<Ok<BalancesResponse>> Balances(ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var accountId = user.AccountIdOf();
        var balances = await db.LedgerAccounts.AsNoTracking().Where(a => a.AccountId == accountId)
            .Select(a => new { a.Kind, a.Balance }).ToDictionaryAsync(a => a.Kind, a => (TokenAmount)a.Balance, cancellationToken);
        TokenAmount Of(LedgerAccountKind kind) => balances.GetValueOrDefault(kind);
        return TypedResults.Ok(new BalancesResponse(Of(LedgerAccountKind.Available), Of(LedgerAccountKind.Escrow),
            Of(LedgerAccountKind.Earnings), Of(LedgerAccountKind.Stake), Of(LedgerAccountKind.Settling)));
    }

    internal static async Task<IResult> StatementOf(HttpRequest request, ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var limit = Statement.ParseLimit(query["limit"].Count > 0 ? query["limit"].ToString() : null);
        var cursor = query["cursor"].Count > 0 ? StatementCursor.Decode(query["cursor"].ToString()) : null;
        var format = query["format"].Count > 0 ? query["format"].ToString() : "json";
        if (format is not ("json" or "csv"))
        {
            throw ValidationFailedException.For("format", $"must be \"json\" or \"csv\"; got \"{format}\".");
        }
        var page = await Statement.ReadAsync(dataSource, user.AccountIdOf(), limit, cursor, cancellationToken);
        if (format == "json")
        {
            return TypedResults.Ok(page);
        }
        if (page.NextCursor is { } next)
        {
            request.HttpContext.Response.Headers.Link = $"</v1/ledger?format=csv&limit={limit}&cursor={next}>; rel=\"next\"";
        }
        return TypedResults.Text(Statement.ToCsv(page), "text/csv; charset=utf-8");
    }

    internal static async Task<Ok<LedgerCheckReport>> Check(LedgerCheck check, CancellationToken cancellationToken) =>
        TypedResults.Ok(await check.RunAsync(cancellationToken));
}
