using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Idempotency;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Rentals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Rentals;

/// <summary>
/// Renting: create a rental (capacity reserved and price escrowed in one transaction), and read rentals, their events
/// and their charges. The moves of a rental's life are in <see cref="RentalActions"/>, usage reports in
/// <see cref="UsageReports"/>.
/// </summary>
public static class RentalEndpoints
{
    public static WebApplication MapRentalEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/v1/rentals").WithTags("Rentals");

        group.MapPost("/", Create)
            .RequireAuthorization(Policies.Client)
            .RequireIdempotencyKey()
            .WithName("CreateRental")
            .WithSummary("Rent an active offer: capacity is reserved and the price plus the client's reservation fee move to escrow")
            .WithDescription("Compute takes gpus and hours, storage gigabytes and days, model a budget. 402 when the available balance is short " +
                "(the body says how much is missing); 409 when the offer has too little left (the body says how much it has), is not active, " +
                "is your own, or the daily spend cap is reached.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/", List)
            .RequireAuthorization(Policies.Read)
            .AcceptsQuery("role", "status", "limit", "cursor")
            .WithName("ListRentals")
            .WithSummary("This account's rentals, newest first: role=client (default) or provider, optional status, limit ≤ 100, cursor = nextCursor")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/{id:guid}", Get)
            .RequireAuthorization(Policies.Read)
            .AcceptsQuery()
            .WithName("GetRental")
            .WithSummary("One rental this account is client or provider of; access details are shown to the client only")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id:guid}/events", Events)
            .RequireAuthorization(Policies.Read)
            .AcceptsQuery("limit", "cursor")
            .WithName("ListRentalEvents")
            .WithSummary("Every transition and warning of a rental, oldest first (limit ≤ 200, cursor = nextCursor)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id:guid}/charges", Charges)
            .RequireAuthorization(Policies.Read)
            .AcceptsQuery("limit", "cursor")
            .WithName("ListRentalCharges")
            .WithSummary("Every charge of a rental, oldest first: metered quantity, price applied, fees, burn, provider earnings and the ledger journal")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    internal static async Task<Created<RentalResponse>> Create(CreateRentalRequest body, ClaimsPrincipal user, MarketDbContext db,
        TimeProvider clock, IOptions<RentalOptions> options, CancellationToken cancellationToken)
    {
        var terms = RentalTerms.Parse(body);
        var clientId = user.AccountIdOf();
        var offer = await RentalCapacity.ReserveAsync(db, body.Kind, body.OfferId, terms.Quantity, cancellationToken);
        if (offer.ProviderId == clientId)
        {
            throw new DomainException(DomainErrorKind.Conflict, "This is your own offer.", $"Offer {body.OfferId} is this account's own; an account cannot rent from itself.");
        }
        terms.EnsureWithin(body.Kind, offer);
        var now = clock.Now();
        var id = Guid.CreateVersion7(now);
        var fees = options.Value.Fees.Schedule;
        var rental = body.Kind == RentalKind.Model
            ? Rental.ForBudget(id, body.OfferId, clientId, offer.ProviderId, offer.UnitPrice, offer.OutputUnitPrice!.Value, terms.Budget!.Value, fees, now, options.Value.AcceptWithin)
            : Rental.ForTerm(id, body.Kind, body.OfferId, clientId, offer.ProviderId, terms.Quantity, terms.TermSeconds(body.Kind), offer.UnitPrice, fees, now, options.Value.AcceptWithin);
        rental.ServedBy(offer.NodeId);
        // Both sides' ledger accounts exist from here on, so the metering worker can read them in one query.
        var work = new RentalWork(db, now);
        work.Know(await MarketLedgerAccounts.EnsureAsync(db, clientId, cancellationToken));
        work.Know(await MarketLedgerAccounts.EnsureAsync(db, offer.ProviderId, cancellationToken));
        await SpendCaps.CommitAsync(db, clientId, rental.Escrowed + rental.EscrowedFee, now, cancellationToken);
        db.Rentals.Add(rental);
        work.Escrow(rental, rental.Escrowed + rental.EscrowedFee);
        work.Event(rental, RentalEventType.Created, RentalActor.Client, $"{Describe(rental)}; {rental.Escrowed + rental.EscrowedFee} tokens escrowed");
        if (offer.AutoAccept)
        {
            rental.Accept(null, now);
            work.Event(rental, RentalEventType.Accepted, RentalActor.Market, "the offer accepts rentals at once; the provider attaches access details");
        }
        await work.SaveAsync(cancellationToken);
        return TypedResults.Created($"/v1/rentals/{id}", RentalResponse.From(rental, clientId));
    }

    internal static async Task<Ok<RentalPage>> List(HttpRequest request, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var role = query["role"].Count > 0 ? query["role"].ToString() : "client";
        if (role is not ("client" or "provider"))
        {
            throw ValidationFailedException.For("role", $"must be \"client\" or \"provider\"; got \"{role}\".");
        }
        RentalStatus? status = null;
        if (query["status"].Count > 0)
        {
            var text = query["status"].ToString();
            status = Enum.GetValues<RentalStatus>().Cast<RentalStatus?>().FirstOrDefault(v => v.ToString()!.Equals(text, StringComparison.OrdinalIgnoreCase))
                ?? throw ValidationFailedException.For("status", $"must be one of {string.Join(", ", Enum.GetNames<RentalStatus>().Select(n => n.ToLowerInvariant()))}.");
        }
        var limit = Paging.Limit(query, 100);
        var cursor = NewestFirstCursor.FromQuery(query);
        var caller = user.AccountIdOf();
        // Two plain predicates, not one conditional: each side then reads its own index (client_id or provider_id first).
        var rentals = role == "client"
            ? db.Rentals.AsNoTracking().Where(r => r.ClientId == caller)
            : db.Rentals.AsNoTracking().Where(r => r.ProviderId == caller);
        if (status is { } wanted)
        {
            rentals = rentals.Where(r => r.Status == wanted);
        }
        if (cursor is not null)
        {
            rentals = rentals.Where(r => r.CreatedAt < cursor.CreatedAt || (r.CreatedAt == cursor.CreatedAt && r.Id.CompareTo(cursor.Id) < 0));
        }
        var page = await rentals.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var next = page.Count > limit ? new NewestFirstCursor(page[limit - 1].CreatedAt, page[limit - 1].Id).Encode() : null;
        return TypedResults.Ok(new RentalPage(page.Take(limit).Select(r => RentalResponse.From(r, caller)).ToArray(), next));
    }

    internal static async Task<Ok<RentalResponse>> Get(Guid id, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var caller = user.AccountIdOf();
        return TypedResults.Ok(RentalResponse.From(await RentalStore.ReadAsync(db, id, caller, cancellationToken), caller));
    }

    internal static async Task<Ok<RentalEventPage>> Events(Guid id, HttpRequest request, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var (limit, after) = (Paging.Limit(request.Query, 200), Paging.After(request.Query));
        await RentalStore.ReadAsync(db, id, user.AccountIdOf(), cancellationToken);
        var events = await db.RentalEvents.AsNoTracking().Where(e => e.RentalId == id && e.Id > after)
            .OrderBy(e => e.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(new RentalEventPage(events.Take(limit).Select(RentalEventResponse.From).ToArray(),
            events.Count > limit ? Paging.Next(events[limit - 1].Id) : null));
    }

    internal static async Task<Ok<RentalChargePage>> Charges(Guid id, HttpRequest request, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var (limit, after) = (Paging.Limit(request.Query, 200), Paging.After(request.Query));
        var rental = await RentalStore.ReadAsync(db, id, user.AccountIdOf(), cancellationToken);
        var charges = await db.RentalCharges.AsNoTracking().Where(c => c.RentalId == id && c.Id > after)
            .OrderBy(c => c.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(new RentalChargePage(charges.Take(limit).Select(c => RentalChargeResponse.From(c, rental)).ToArray(),
            charges.Count > limit ? Paging.Next(charges[limit - 1].Id) : null));
    }

    internal static string Describe(Rental r) => r.Kind switch
    {
        RentalKind.Compute => $"{r.Quantity} GPU(s) for {r.TermSeconds / 3600} hour(s)",
        RentalKind.Storage => $"{r.Quantity} GB for {r.TermSeconds / 86400} day(s)",
        _ => $"a budget of {r.Escrowed} tokens",
    };
}

public sealed record RentalEventPage(IReadOnlyList<RentalEventResponse> Items, string? NextCursor);

/// <summary>Limit and id-cursor parsing shared by the rental lists.</summary>
internal static class Paging
{
    private sealed record IdCursor(long After);

    public static int Limit(IQueryCollection query, int max) => PageLimit.FromQuery(query, Math.Min(50, max), max);

    public static long After(IQueryCollection query) => OpaqueCursor.FromQuery<IdCursor>(query, c => c.After > 0)?.After ?? 0;

    public static string Next(long lastId) => OpaqueCursor.Encode(new IdCursor(lastId));
}
