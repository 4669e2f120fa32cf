using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using DepinMarket.Domain.Faucet;
using DepinMarket.Domain.Money;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.Faucet;

/// <summary>
/// Test tokens for a verified wallet, on test networks only: the mint is sent by the token owner's key, at most once
/// per cooldown per account and per wallet. A grant whose mint may be on the chain is kept until the chain says how
/// it ended (see <see cref="FaucetMint"/>); on any chain id that is not a test network the faucet refuses.
/// </summary>
public static class FaucetEndpoints
{
    public static WebApplication MapFaucet(this WebApplication app)
    {
        var group = app.MapGroup("/v1/faucet").WithTags("Chain");

        group.MapPost("/", Grant)
            .RequireAuthorization(Policies.Write)
            .WithName("DrawFaucetTokens")
            .WithSummary("Mint test tokens to this account's verified wallet (test networks only, once per cooldown)")
            .WithDescription("200: minted and confirmed. 202: the mint is signed and sent but its receipt did not come in time " +
                "(or the node could not be reached); it is never sent twice, GET /v1/faucet shows how it ends. " +
                "503 when the mint reverted: nothing was minted and the cooldown is given back.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/", GetLast)
            .RequireAuthorization(Policies.Read)
            .WithName("GetLastFaucetGrant")
            .WithSummary("This account's latest grant and its mint's status (an unconfirmed mint is looked up on the chain first)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    internal static async Task<Results<Ok<FaucetResponse>, Accepted<FaucetResponse>>> Grant(
        ClaimsPrincipal user, MarketDbContext db, MarketChain marketChain, NpgsqlDataSource dataSource, IOptions<FaucetOptions> options,
        TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<FaucetMint> logger, CancellationToken cancellationToken)
    {
        var chain = FaucetChain.From(marketChain);
        var accountId = user.AccountIdOf();
        // A grant in doubt that turns out to have reverted no longer holds the cooldown: settle those first.
        var wallet = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.WalletAddress).SingleAsync(cancellationToken);
        await new FaucetGrantResolver(db, chain, dataSource, clock, logger).ResolveInDoubtAsync(accountId, wallet, cancellationToken);

        var amount = TokenAmount.Parse(options.Value.AmountTokens);
        var grant = await FaucetCooldown.ReserveAsync(db, accountId, amount.BaseUnits, options.Value.Cooldown, clock.Now(), cancellationToken);
        await new FaucetMint(db, chain, dataSource, clock, logger, lifetime.ApplicationStopping).SendAsync(grant, cancellationToken);

        return grant.Status switch
        {
            FaucetGrantStatus.Confirmed => TypedResults.Ok(FaucetResponse.From(grant)),
            FaucetGrantStatus.Failed => throw new DomainException(DomainErrorKind.Unavailable, "The mint reverted.",
                $"The mint transaction {grant.TransactionHash} reverted on chain, so nothing was minted and the cooldown is given back. " +
                "The faucet may be misconfigured (is the API's key still the token's owner?); try again later."),
            _ => TypedResults.Accepted("/v1/faucet", FaucetResponse.From(grant)),
        };
    }

    internal static async Task<Ok<FaucetResponse>> GetLast(
        ClaimsPrincipal user, MarketDbContext db, MarketChain marketChain, NpgsqlDataSource dataSource, TimeProvider clock, ILogger<FaucetMint> logger,
        CancellationToken cancellationToken)
    {
        var accountId = user.AccountIdOf();
        var grant = await db.FaucetGrants.Where(g => g.AccountId == accountId)
            .OrderByDescending(g => g.GrantedAt).ThenByDescending(g => g.Id)
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(DomainErrorKind.NotFound, "No faucet grant.", "This account has not drawn test tokens yet: POST /v1/faucet.");
        if (grant.Status == FaucetGrantStatus.InDoubt)
        {
            await new FaucetGrantResolver(db, FaucetChain.From(marketChain), dataSource, clock, logger).ResolveAsync(grant, cancellationToken);
        }
        return TypedResults.Ok(FaucetResponse.From(grant));
    }
}
