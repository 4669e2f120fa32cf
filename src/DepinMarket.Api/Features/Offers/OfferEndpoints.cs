using DepinMarket.Api.Hosting;
using System.Globalization;
using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Nodes;
using DepinMarket.Api.Features.Offers.Search;
using DepinMarket.Domain;
using DepinMarket.Domain.Offers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Offers;

/// <summary>
/// The endpoints every kind of offer has, written once: create, read, update with If-Match, the lifecycle
/// moves, and strict search. An offer that belongs to someone else is "not found" to every mutating call,
/// and so is another provider's draft to a read: the answer never confirms what the caller may not see.
/// </summary>
public static class OfferEndpoints<TKind, TOffer, TRequest, TResponse>
    where TKind : IOfferKind<TOffer, TRequest, TResponse>
    where TOffer : Offer
    where TRequest : IOfferRequest
{
    private static string Pascal => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(TKind.Slug);

    public static RouteGroupBuilder Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup($"/v1/offers/{TKind.Slug}").WithTags($"{Pascal} offers");

        group.MapPost("/", Create).RequireAuthorization(Policies.Provider)
            .WithName($"Create{Pascal}Offer")
            .WithSummary($"List a {TKind.Noun} (as a draft, or at once with \"publish\": true)")
            .ProducesValidationProblem();

        group.MapGet("/", Search).RequireAuthorization(Policies.Read)
            .WithName($"Search{Pascal}Offers")
            .WithSummary($"Search active {TKind.Noun}s with strict filters and cursor paging")
            .WithDescription("Unknown filters are refused with a 400 that lists the allowed ones. When nothing matches, " +
                "\"explanation\" says which filter emptied the result.")
            .WithMetadata(SearchDocumentation.Of(TKind.Search))
            .ProducesValidationProblem();

        group.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.Read)
            .WithName($"Get{Pascal}Offer")
            .WithSummary($"Read one {TKind.Noun}; the ETag header carries its version for If-Match")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.Provider)
            .WithName($"Update{Pascal}Offer")
            .WithSummary($"Replace a {TKind.Noun}'s terms; send If-Match with the ETag you read to avoid overwriting someone else's change")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        MapMove(group, "publish", "List a draft offer", (o, now) => o.Publish(now));
        MapMove(group, "pause", "Hide an active offer from search for now", (o, now) => o.Pause(now));
        MapMove(group, "resume", "List a paused offer again", (o, now) => o.Resume(now));
        group.MapPost("/{id:guid}/retire", Retire)
            .RequireAuthorization(Policies.Provider)
            .WithName($"Retire{Pascal}Offer")
            .WithSummary("Withdraw an offer for good; its open rentals end (terminated: offer_retired) with the unused escrow refunded")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static void MapMove(RouteGroupBuilder group, string verb, string summary, Action<TOffer, DateTimeOffset> move)
    {
        group.MapPost($"/{{id:guid}}/{verb}", (Guid id, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, HttpContext http,
                IEnumerable<IOfferActivationGuard> guards, CancellationToken ct) => Move(id, user, db, clock, http, move, guards, ct))
            .RequireAuthorization(Policies.Provider)
            .WithName($"{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(verb)}{Pascal}Offer")
            .WithSummary(summary)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    internal static async Task<Created<TResponse>> Create(
        TRequest request, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, HttpContext http, IEnumerable<IOfferActivationGuard> guards,
        CancellationToken cancellationToken)
    {
        var offer = TKind.Create(user.AccountIdOf(), RequireBody(request), clock.Now());
        offer.ChangeAutoAccept(request.AutoAccept);
        offer.ServeFrom(await NodeOwnership.CheckAsync(db, offer.ProviderId, request.NodeId, cancellationToken));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await GuardAsync(db, offer, guards, cancellationToken);
        TKind.Table(db).Add(offer);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        SetETag(http, offer);
        return TypedResults.Created($"/v1/offers/{TKind.Slug}/{offer.Id}", TKind.ToResponse(offer));
    }

    internal static async Task<Ok<TResponse>> Get(
        Guid id, ClaimsPrincipal user, MarketDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        var callerId = user.AccountIdOf();
        var offer = await TKind.Table(db).AsNoTracking().Include(o => o.Node).Include(o => o.Provider!.Standing).SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (offer is null || (offer.Status == OfferStatus.Draft && offer.ProviderId != callerId))
        {
            throw NotFound(id);
        }
        SetETag(http, offer);
        return TypedResults.Ok(TKind.ToResponse(offer));
    }

    internal static async Task<Ok<TResponse>> Update(
        Guid id, TRequest request, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, HttpContext http,
        IEnumerable<IOfferCapacityHolds> holds, IEnumerable<IOfferActivationGuard> guards, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var offer = await LoadOwned(id, user, db, cancellationToken);
        CheckIfMatch(http, db, offer);
        TKind.Update(offer, RequireBody(request), clock.Now());
        offer.ChangeAutoAccept(request.AutoAccept);
        offer.ServeFrom(await NodeOwnership.CheckAsync(db, offer.ProviderId, request.NodeId, cancellationToken));
        await EnsureHeldCapacityStaysHeldAsync(db, offer, holds, cancellationToken);
        await GuardAsync(db, offer, guards, cancellationToken);
        // A rental taking capacity meanwhile changes the row's xmin, so this write fails (412) rather than undo it.
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        SetETag(http, offer);
        return TypedResults.Ok(TKind.ToResponse(offer));
    }

    internal static async Task<Ok<SearchResponse<TResponse>>> Search(
        HttpContext http, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var request = TKind.Search.Parse(http.Request.Query);
        var page = await OfferSearch.RunAsync(TKind.Table(db), request, user.AccountIdOf(), $"{TKind.Noun}s", cancellationToken);
        return TypedResults.Ok(new SearchResponse<TResponse>([.. page.Items.Select(TKind.ToResponse)], page.NextCursor, page.Explanation));
    }

    private static async Task<Ok<TResponse>> Move(
        Guid id, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, HttpContext http, Action<TOffer, DateTimeOffset> move,
        IEnumerable<IOfferActivationGuard> guards, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var offer = await LoadOwned(id, user, db, cancellationToken);
        CheckIfMatch(http, db, offer);
        move(offer, clock.Now());
        await GuardAsync(db, offer, guards, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        SetETag(http, offer);
        return TypedResults.Ok(TKind.ToResponse(offer));
    }

    /// <summary>Every rule other features set on active offers (the stake behind them), in the request's transaction.</summary>
    private static async Task GuardAsync(MarketDbContext db, TOffer offer, IEnumerable<IOfferActivationGuard> guards, CancellationToken cancellationToken)
    {
        foreach (var guard in guards)
        {
            await guard.EnsureAllowedAsync(db, offer, cancellationToken);
        }
    }

    private static async Task EnsureHeldCapacityStaysHeldAsync(MarketDbContext db, TOffer offer, IEnumerable<IOfferCapacityHolds> holds, CancellationToken cancellationToken)
    {
        if (offer.Capacity is not { } capacity)
        {
            return;
        }
        long held = 0;
        foreach (var hold in holds)
        {
            held += await hold.HeldAsync(db, offer.Id, cancellationToken);
        }
        if (capacity.Available > capacity.Total - held)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Capacity is rented.",
                $"{held} {capacity.Unit} of offer {offer.Id} are held by open rentals, so at most {Math.Max(0, capacity.Total - held)} of its {capacity.Total} can be free; " +
                $"send {capacity.Field} of at most that.");
        }
    }

    /// <summary>A move like the others, in one transaction with whatever <see cref="IOfferRetirement"/> ends with the offer.</summary>
    internal static async Task<Ok<TResponse>> Retire(Guid id, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, HttpContext http,
        IEnumerable<IOfferRetirement> retirements, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var offer = await LoadOwned(id, user, db, cancellationToken);
        CheckIfMatch(http, db, offer);
        var now = clock.Now();
        offer.Retire(now);
        foreach (var retirement in retirements)
        {
            await retirement.RetiringAsync(db, offer.Id, now, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        SetETag(http, offer);
        return TypedResults.Ok(TKind.ToResponse(offer));
    }

    private static async Task<TOffer> LoadOwned(Guid id, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var callerId = user.AccountIdOf();
        return await TKind.Table(db).SingleOrDefaultAsync(o => o.Id == id && o.ProviderId == callerId, cancellationToken)
            ?? throw NotFound(id);
    }

    /// <summary>
    /// If-Match names the version the client read. A different current version is a 412 at once; the same
    /// version becomes EF's expected xmin, so a write that slips in between is caught by the UPDATE itself.
    /// </summary>
    private static void CheckIfMatch(HttpContext http, MarketDbContext db, TOffer offer)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(ifMatch) || ifMatch == "*")
        {
            return;
        }
        if (!uint.TryParse(ifMatch.Replace("W/", "", StringComparison.Ordinal).Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var expected))
        {
            throw new DomainException(DomainErrorKind.Invalid, "Malformed If-Match.",
                $"If-Match must be the ETag returned by GET (e.g. \"{offer.Version}\"); got {ifMatch}.");
        }
        if (expected != offer.Version)
        {
            throw new DomainException(DomainErrorKind.PreconditionFailed, "Precondition failed.",
                $"The {TKind.Noun} changed since version {expected}; it is now at version {offer.Version}. GET it again and reapply your change.");
        }
        db.Entry(offer).Property(o => o.Version).OriginalValue = expected;
    }

    /// <summary>
    /// The framework cannot tell that a generic TRequest is non-nullable, so it passes null for an empty body;
    /// refuse it here with the same answer a non-generic endpoint gives.
    /// </summary>
    private static TRequest RequireBody(TRequest? request) =>
        request ?? throw ValidationFailedException.For("body", $"is required: send the {TKind.Noun} as a JSON object.");

    private static void SetETag(HttpContext http, TOffer offer) =>
        http.Response.Headers.ETag = $"\"{offer.Version.ToString(CultureInfo.InvariantCulture)}\"";

    private static DomainException NotFound(Guid id) =>
        new(DomainErrorKind.NotFound, $"{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(TKind.Noun)} not found.",
            $"No {TKind.Noun} {id} exists that this account can see.");
}

/// <summary>A page of search results.</summary>
/// <param name="Items">At most "limit" offers.</param>
/// <param name="NextCursor">Pass as "cursor" to get the next page; absent on the last page.</param>
/// <param name="Explanation">Present when the first page is empty: which filter emptied the result.</param>
public sealed record SearchResponse<TItem>(IReadOnlyList<TItem> Items, string? NextCursor, string? Explanation);
