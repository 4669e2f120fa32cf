using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Accounts;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Offers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Admin;

/// <summary>Operator-only views of the marketplace, unlocked by the operator key from configuration (Admin:ApiKey).</summary>
public static class AdminEndpoints
{
    public static WebApplication MapAdmin(this WebApplication app)
    {
        var group = app.MapGroup("/v1/admin").WithTags("Admin").RequireAuthorization(Policies.Operator);

        group.MapGet("/stats", Stats)
            .WithName("GetMarketStats")
            .WithSummary("Counts of accounts and of offers by kind and status");

        group.MapGet("/accounts", Accounts)
            .AcceptsQuery()
            .WithName("ListAccounts")
            .WithSummary("The most recent accounts (at most 200)");

        return app;
    }

    public sealed record MarketStats(int Accounts, IReadOnlyDictionary<string, IReadOnlyDictionary<OfferStatus, int>> Offers);

    internal static async Task<Ok<MarketStats>> Stats(MarketDbContext db, CancellationToken cancellationToken)
    {
        var offers = new Dictionary<string, IReadOnlyDictionary<OfferStatus, int>>
        {
            ["compute"] = await CountByStatus(db.ComputeOffers, cancellationToken),
            ["storage"] = await CountByStatus(db.StorageOffers, cancellationToken),
            ["model"] = await CountByStatus(db.ModelOffers, cancellationToken),
        };
        return TypedResults.Ok(new MarketStats(await db.Accounts.CountAsync(cancellationToken), offers));
    }

    internal static async Task<Ok<AccountResponse[]>> Accounts(MarketDbContext db, CancellationToken cancellationToken)
    {
        var accounts = await db.Accounts.AsNoTracking().OrderByDescending(a => a.CreatedAt).Take(200).ToListAsync(cancellationToken);
        return TypedResults.Ok(accounts.Select(AccountResponse.From).ToArray());
    }

    private static async Task<IReadOnlyDictionary<OfferStatus, int>> CountByStatus<TOffer>(IQueryable<TOffer> offers, CancellationToken cancellationToken)
        where TOffer : Offer =>
        await offers.GroupBy(o => o.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
}
