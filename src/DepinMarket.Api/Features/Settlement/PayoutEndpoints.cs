using System.Numerics;
using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Rpc;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Settlement;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Settlement;

/// <summary>GET /v1/payouts: what an account was paid (or is being paid), with the transaction anyone can look up.</summary>
public static class PayoutEndpoints
{
    public static WebApplication MapPayoutEndpoints(this WebApplication app)
    {
        app.MapGet("/v1/payouts", List).WithTags("Settlement")
            .RequireAuthorization(Policies.Read)
            .AcceptsQuery("limit", "cursor")
            .WithName("ListPayouts")
            .WithSummary("This account's payouts, newest first, with batch, status, tx hash, block and confirmations; and what is still payable and why")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    internal static async Task<Ok<PayoutPage>> List(HttpRequest request, ClaimsPrincipal user, MarketDbContext db, MarketChain chain,
        IOptions<SettlementOptions> options, CancellationToken cancellationToken)
    {
        var limit = PageLimit.FromQuery(request.Query, 50, 100);
        var cursor = NewestFirstCursor.FromQuery(request.Query);
        var caller = user.AccountIdOf();
        var payouts = db.Set<Payout>().AsNoTracking().Where(p => p.AccountId == caller);
        if (cursor is not null)
        {
            payouts = payouts.Where(p => p.CreatedAt < cursor.CreatedAt || (p.CreatedAt == cursor.CreatedAt && p.Id.CompareTo(cursor.Id) < 0));
        }
        var page = await payouts.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).Take(limit + 1)
            .Join(db.Set<SettlementBatch>(), p => p.BatchId, b => b.Id, (p, b) => new { Payout = p, Batch = b })
            .OrderByDescending(x => x.Payout.CreatedAt).ThenByDescending(x => x.Payout.Id)
            .ToListAsync(cancellationToken);
        var head = await HeadAsync(chain, cancellationToken);
        var explorer = options.Value.ExplorerTransactionUrl;
        var items = page.Take(limit).Select(x => new PayoutResponse(x.Payout.Id, x.Batch.Id, x.Payout.Amount, x.Payout.Source, x.Payout.WithdrawalId,
            x.Payout.Wallet, x.Payout.Status, x.Batch.Status, x.Batch.TransactionHash, x.Batch.BlockNumber,
            head is { } h && x.Batch.BlockNumber is { } b ? Math.Max(0, h - b + 1) : null,
            explorer is not null && x.Batch.TransactionHash is { } hash ? string.Format(System.Globalization.CultureInfo.InvariantCulture, explorer, hash) : null,
            x.Payout.CreatedAt)).ToArray();
        var next = page.Count > limit ? new NewestFirstCursor(page[limit - 1].Payout.CreatedAt, page[limit - 1].Payout.Id).Encode() : null;
        return TypedResults.Ok(new PayoutPage(items, next, await PayableAsync(db, caller, options.Value.MinimumPayout, cancellationToken)));
    }

    private static async Task<PayableSummary> PayableAsync(MarketDbContext db, Guid accountId, TokenAmount minimum, CancellationToken cancellationToken)
    {
        var balances = await db.LedgerAccounts.AsNoTracking().Where(a => a.AccountId == accountId && a.Kind == LedgerAccountKind.Earnings)
            .Select(a => a.Balance).ToListAsync(cancellationToken);
        var earnings = balances.Count == 0 ? TokenAmount.Zero : new TokenAmount(balances[0].BaseUnits);
        var verified = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.WalletVerified).SingleAsync(cancellationToken);
        string? reason = earnings.IsZero ? null
            : !verified ? "Earnings are paid to a verified wallet only: verify yours with wallet sign-in (POST /v1/auth/challenge, then /v1/auth/verify)."
            : earnings < minimum ? $"Earnings are paid once they reach the minimum payout of {minimum} tokens."
            : null;
        return new PayableSummary(earnings, minimum, verified, reason);
    }

    private static async Task<long?> HeadAsync(MarketChain chain, CancellationToken cancellationToken)
    {
        if (chain.Client is null)
        {
            return null;
        }
        try
        {
            return (long)await chain.Client.Eth.BlockNumberAsync(cancellationToken);
        }
        catch (RpcException)
        {
            return null; // the list is still right without confirmations
        }
    }
}
