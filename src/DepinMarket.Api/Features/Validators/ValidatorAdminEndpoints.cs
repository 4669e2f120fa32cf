using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.Validators;

/// <summary>
/// The validator role, granted and revoked by the operator key only: who may score models decides whose scores set
/// offers' ranks, so it is not something an account can give itself (docs/decisions/0021). Granting is idempotent; a
/// revoked validator granted again keeps the trust it had.
/// </summary>
public static class ValidatorAdminEndpoints
{
    private sealed record Cursor(Guid AccountId);

    public static WebApplication MapValidatorAdmin(this WebApplication app)
    {
        var group = app.MapGroup("/v1/admin/validators").WithTags("Validators").RequireAuthorization(Policies.Operator);
        group.MapGet("/", List).AcceptsQuery("limit", "cursor")
            .WithName("ListValidators")
            .WithSummary("Every validator, active or revoked, with its trust and current stake, by account id (keyset pages: limit ≤ 200, cursor)");
        group.MapPut("/{accountId:guid}", Grant).AcceptsQuery()
            .WithName("GrantValidator")
            .WithSummary("Grant an account the validator role (201 the first time, 200 after: idempotent); a revoked validator is granted again with the trust it had")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{accountId:guid}", Revoke).AcceptsQuery()
            .WithName("RevokeValidator")
            .WithSummary("Revoke the validator role (idempotent): the account may no longer submit, and its scores of epochs not closed yet are left out")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<Ok<ValidatorList>> List(HttpRequest request, MarketDbContext db, CancellationToken cancellationToken)
    {
        var limit = PageLimit.FromQuery(request.Query, 50, 200);
        var cursor = OpaqueCursor.FromQuery<Cursor>(request.Query, c => c.AccountId != Guid.Empty);
        var validators = db.Set<ValidatorRecord>().AsNoTracking();
        if (cursor is not null)
        {
            validators = validators.Where(v => v.AccountId.CompareTo(cursor.AccountId) > 0);
        }
        var page = await validators.OrderBy(v => v.AccountId).Take(limit + 1).ToListAsync(cancellationToken);
        var next = page.Count > limit ? OpaqueCursor.Encode(new Cursor(page[limit - 1].AccountId)) : null;
        var items = page.Take(limit).ToArray();
        var stakes = await ValidatorStakes.ReadAsync(db, items.Select(v => v.AccountId).ToArray(), cancellationToken);
        return TypedResults.Ok(new ValidatorList(items.Select(v => Response(v, stakes[v.AccountId])).ToArray(), next));
    }

    internal static async Task<Results<Created<ValidatorResponse>, Ok<ValidatorResponse>>> Grant(Guid accountId, MarketDbContext db,
        IOptions<ValidatorOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!await db.Accounts.AnyAsync(a => a.Id == accountId, cancellationToken))
        {
            throw new DomainException(DomainErrorKind.NotFound, "Account not found.", $"No account has id {accountId}.");
        }
        var now = clock.Now();
        var validator = await db.Set<ValidatorRecord>().SingleOrDefaultAsync(v => v.AccountId == accountId, cancellationToken);
        if (validator is null)
        {
            validator = ValidatorRecord.Grant(accountId, options.Value.InitialTrust, now);
            db.Add(validator);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Created($"/v1/admin/validators/{accountId}", await ResponseAsync(db, validator, cancellationToken));
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // A grant of the same account at the same moment won: the role is granted, as this request asked.
                db.ChangeTracker.Clear();
                validator = await db.Set<ValidatorRecord>().SingleAsync(v => v.AccountId == accountId, cancellationToken);
            }
        }
        else if (validator.Regrant(now))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        return TypedResults.Ok(await ResponseAsync(db, validator, cancellationToken));
    }

    internal static async Task<Ok<ValidatorResponse>> Revoke(Guid accountId, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var validator = await db.Set<ValidatorRecord>().SingleOrDefaultAsync(v => v.AccountId == accountId, cancellationToken)
            ?? throw new DomainException(DomainErrorKind.NotFound, "Validator not found.", $"Account {accountId} does not have the validator role.");
        validator.Revoke(clock.Now());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ResponseAsync(db, validator, cancellationToken));
    }

    private static async Task<ValidatorResponse> ResponseAsync(MarketDbContext db, ValidatorRecord validator, CancellationToken cancellationToken) =>
        Response(validator, (await ValidatorStakes.ReadAsync(db, [validator.AccountId], cancellationToken))[validator.AccountId]);

    private static ValidatorResponse Response(ValidatorRecord v, Domain.Money.TokenAmount stake) =>
        new(v.AccountId, v.IsActive, v.Trust, stake, v.GrantedAt, v.RevokedAt);
}
