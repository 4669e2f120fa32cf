using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Idempotency;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Stakes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Stakes;

/// <summary>
/// A provider's stake: how much backs its offers and what they need, staking more, unstaking (after a cooldown), and
/// the slashes it paid or (as a client) was compensated by. Money moves take an Idempotency-Key and run in the
/// transaction the idempotency middleware opened.
/// </summary>
public static class StakeEndpoints
{
    public static WebApplication MapStakeEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/v1/stakes").WithTags("Stakes");
        group.MapGet("/", Get).RequireAuthorization(Policies.Read).AcceptsQuery().WithName("GetStake")
            .WithSummary("This account's stake: staked, cooling, what its active offers need, what can be unstaked");
        group.MapPost("/", Stake).RequireAuthorization(Policies.Provider).RequireIdempotencyKey().AcceptsQuery().WithName("Stake")
            .WithSummary("Stake tokens from the available balance behind this provider's offers")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status402PaymentRequired);
        group.MapPost("/unstake", Unstake).RequireAuthorization(Policies.Provider).RequireIdempotencyKey().AcceptsQuery().WithName("Unstake")
            .WithSummary("Start unstaking: the tokens stay staked (backing offers, slashable) for the cooldown, then return to available")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapGet("/v1/slashes", Slashes).WithTags("Stakes").RequireAuthorization(Policies.Read).AcceptsQuery("limit", "cursor").WithName("ListSlashes")
            .WithSummary("Slashes this account paid (as provider) or was compensated by (as client), newest first, with their evidence")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    internal static async Task<Ok<StakeResponse>> Get(ClaimsPrincipal user, MarketDbContext db, StakeCoverage coverage, IOptions<StakeOptions> options,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await ResponseAsync(db, user.AccountIdOf(), coverage, options.Value, cancellationToken));

    internal static async Task<Ok<StakeResponse>> Stake(StakeRequest body, ClaimsPrincipal user, MarketDbContext db, StakeCoverage coverage,
        IOptions<StakeOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        RequirePositive(body);
        var providerId = user.AccountIdOf();
        var ledger = await MarketLedgerAccounts.EnsureAsync(db, providerId, cancellationToken);
        var journal = JournalDraft.Transfer(JournalKind.Stake, $"stake:{Guid.CreateVersion7(clock.Now())}",
            ledger[LedgerAccountKind.Available], ledger[LedgerAccountKind.Stake], body.Amount);
        await LedgerPoster.PostAsync(db, journal, clock.Now(), cancellationToken);
        return TypedResults.Ok(await ResponseAsync(db, providerId, coverage, options.Value, cancellationToken));
    }

    internal static async Task<Ok<StakeResponse>> Unstake(StakeRequest body, ClaimsPrincipal user, MarketDbContext db, StakeCoverage coverage,
        IOptions<StakeOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        RequirePositive(body);
        var providerId = user.AccountIdOf();
        var position = await coverage.PositionAsync(db, providerId, lockStake: true, changing: null, cancellationToken);
        if (body.Amount > position.Unstakable)
        {
            throw new DomainException(DomainErrorKind.Conflict, "That much stake backs active offers.",
                $"{position.Bonded} tokens stay staked after the cooling unstakes; the active offers need {position.Required}, so at most " +
                $"{position.Unstakable} can be unstaked. Pause or retire offers first to unstake more.");
        }
        db.Add(StakeUnbonding.Request(providerId, body.Amount, options.Value.Cooldown, clock.Now()));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ResponseAsync(db, providerId, coverage, options.Value, cancellationToken));
    }

    internal static async Task<Ok<SlashPage>> Slashes(HttpRequest request, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var limit = PageLimit.FromQuery(request.Query, 50, 100);
        var cursor = NewestFirstCursor.FromQuery(request.Query);
        var caller = user.AccountIdOf();
        var slashes = db.Set<Slash>().AsNoTracking().Where(s => s.ProviderId == caller || s.ClientId == caller);
        if (cursor is not null)
        {
            slashes = slashes.Where(s => s.CreatedAt < cursor.CreatedAt || (s.CreatedAt == cursor.CreatedAt && s.Id.CompareTo(cursor.Id) < 0));
        }
        var page = await slashes.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var next = page.Count > limit ? new NewestFirstCursor(page[limit - 1].CreatedAt, page[limit - 1].Id).Encode() : null;
        return TypedResults.Ok(new SlashPage(page.Take(limit).Select(SlashResponse.From).ToArray(), next));
    }

    private static void RequirePositive(StakeRequest body)
    {
        if (body.Amount.IsZero)
        {
            throw ValidationFailedException.For("amount", "must be more than zero.");
        }
    }

    private static async Task<StakeResponse> ResponseAsync(MarketDbContext db, Guid providerId, StakeCoverage coverage, StakeOptions options, CancellationToken cancellationToken)
    {
        var position = await coverage.PositionAsync(db, providerId, lockStake: false, changing: null, cancellationToken);
        var cooling = await db.Set<StakeUnbonding>().AsNoTracking().Where(u => u.ProviderId == providerId && u.ReleasedAt == null)
            .OrderBy(u => u.ReleasesAt).ToListAsync(cancellationToken);
        return new StakeResponse(position.Staked, position.Bonded, position.Required, position.Unstakable,
            cooling.Select(UnbondingResponse.From).ToArray(),
            new StakeMinimums(options.PerGpuAmount, options.PerStorageTbAmount, options.PerModelOfferAmount, (long)options.Cooldown.TotalSeconds));
    }
}
