using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Idempotency;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Util;
using DepinMarket.Domain;
using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Money;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.Deposits;

/// <summary>
/// Gasless deposits: the API hands out the ERC-2612 permit to sign, checks the signature off-chain and relays it as
/// the settler's <c>depositWithPermit</c> (see <see cref="DepositRelaySender"/>). Crediting the account is the deposit
/// watcher's job, from the vault's Deposited log, like any other deposit.
/// </summary>
public static class DepositEndpoints
{
    public static WebApplication MapDeposits(this WebApplication app)
    {
        var group = app.MapGroup("/v1/deposits").WithTags("Deposits");

        group.MapPost("/permit", Permit)
            .RequireAuthorization(Policies.Write)
            .WithName("CreateDepositPermit")
            .WithSummary("The EIP-712 permit to sign with the verified wallet for a gasless deposit")
            .WithDescription("Sign `typedData` with eth_signTypedData_v4 (MetaMask), ethers `signTypedData` or `cast wallet sign --data`, " +
                "then POST /v1/deposits with the amount, the deadline and the signature. 409 when the wallet is not verified.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/", Relay)
            .RequireAuthorization(Policies.Write)
            .RequireIdempotencyKey()
            .WithName("RelayDeposit")
            .WithSummary("Relay a signed permit: the API sends depositWithPermit and pays the gas")
            .WithDescription("202: signed, stored and sent; it is not waited for (GET /v1/deposits/relays shows how it ends, the deposit " +
                "watcher credits the account). 200: this permit was relayed before, under another Idempotency-Key; that relay, nothing sent " +
                "again. The same key and body again replay the first answer as it was then (GET /v1/deposits/relays has the relay's status now). " +
                "400 when the signature is not the verified wallet's for this amount and deadline (checked before any gas is spent).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/relays", ListRelays)
            .RequireAuthorization(Policies.Read)
            .AcceptsQuery()
            .WithName("ListDepositRelays")
            .WithSummary("This account's relayed deposits, newest first (open ones are looked up on the chain first)");

        return app;
    }

    internal static async Task<Ok<PermitResponse>> Permit(
        PermitRequest request, ClaimsPrincipal user, MarketDbContext db, MarketChain marketChain, IOptions<DepositOptions> options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var chain = DepositChain.From(marketChain);
        var owner = await VerifiedWalletAsync(db, user.AccountIdOf(), cancellationToken);
        var amount = RequirePositive(request.Amount);
        var deadline = (clock.Now() + options.Value.PermitLifetime).ToUnixTimeSeconds();
        var permit = new DepositPermit(chain, owner, amount.BaseUnits, await chain.PermitNonceAsync(owner, cancellationToken), deadline);
        return TypedResults.Ok(new PermitResponse(permit.ToJson(), deadline, permit.Nonce.ToString(System.Globalization.CultureInfo.InvariantCulture),
            amount, owner.ToString(), chain.VaultAddress.ToString()));
    }

    // Two guards against relaying twice, for two kinds of retry: the Idempotency-Key (the middleware's transaction on
    // db, which keeps only 2xx answers) for a client that sends the same request again, and the permit itself (owner
    // and nonce, unique among the relays that hold it) for the same signature under another key, or after an answer
    // the middleware did not keep. The relay is stored through a context of its own, committed before the broadcast:
    // the key's transaction commits only once the answer is written, too late for a record of something that may
    // already be on the chain.
    internal static async Task<Results<Ok<DepositRelayResponse>, Accepted<DepositRelayResponse>>> Relay(
        RelayDepositRequest request, ClaimsPrincipal user, MarketDbContext db, IServiceScopeFactory scopes, MarketChain marketChain,
        NpgsqlDataSource dataSource, PermitDeadlines deadlines, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<DepositRelaySender> logger,
        CancellationToken cancellationToken)
    {
        var chain = DepositChain.From(marketChain);
        var accountId = user.AccountIdOf();
        var owner = await VerifiedWalletAsync(db, accountId, cancellationToken);
        var amount = RequirePositive(request.Amount).BaseUnits;

        // The same permit again: its nonce is spent or pending, so it is recognised by the relays already stored.
        if (await PreviousRelayAsync(db, chain, accountId, owner, amount, request, cancellationToken) is { } previous)
        {
            return TypedResults.Ok(DepositRelayResponse.From(previous));
        }
        deadlines.Require(request.Deadline);
        var permit = new DepositPermit(chain, owner, amount, await chain.PermitNonceAsync(owner, cancellationToken), request.Deadline);
        var signature = permit.VerifiedSignature(request.Signature);
        if (await chain.BalanceAsync(owner, cancellationToken) < amount)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Wallet balance too low.",
                $"{owner} holds less than {new TokenAmount(amount)} DPIN on chain, so the deposit would revert; nothing was sent.");
        }

        await using var own = scopes.CreateAsyncScope();
        var sender = new DepositRelaySender(own.ServiceProvider.GetRequiredService<MarketDbContext>(), chain, dataSource, clock, logger, lifetime.ApplicationStopping);
        var (relay, created) = await sender.SendAsync(accountId, permit, signature, cancellationToken);
        return created
            ? TypedResults.Accepted("/v1/deposits/relays", DepositRelayResponse.From(relay))
            : TypedResults.Ok(DepositRelayResponse.From(relay));
    }

    internal static async Task<Ok<DepositRelayListResponse>> ListRelays(
        ClaimsPrincipal user, MarketDbContext db, MarketChain marketChain, NpgsqlDataSource dataSource, TimeProvider clock,
        ILogger<DepositRelayResolver> logger, CancellationToken cancellationToken)
    {
        var accountId = user.AccountIdOf();
        if (marketChain.Client is not null && marketChain.Token is not null && marketChain.Vault is not null && marketChain.Signer is not null)
        {
            await new DepositRelayResolver(db, DepositChain.From(marketChain), dataSource, clock, logger).ResolveOpenAsync(accountId, cancellationToken);
        }
        var relays = await db.DepositRelays.AsNoTracking().Where(r => r.AccountId == accountId)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Take(100)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new DepositRelayListResponse([.. relays.Select(DepositRelayResponse.From)]));
    }

    private static async Task<EthereumAddress> VerifiedWalletAsync(MarketDbContext db, Guid accountId, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == accountId, cancellationToken);
        if (!account.WalletVerified)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Wallet not verified.",
                $"Only a verified wallet can sign a deposit permit. Prove that you control {account.WalletAddress} first: " +
                "POST /v1/auth/challenge, sign the message, POST /v1/auth/verify.");
        }
        return EthereumAddress.Parse(account.WalletAddress);
    }

    private static TokenAmount RequirePositive(TokenAmount amount) =>
        amount.IsZero ? throw ValidationFailedException.For("amount", "must be more than zero.") : amount;

    private static async Task<Domain.Deposits.DepositRelay?> PreviousRelayAsync(
        MarketDbContext db, DepositChain chain, Guid accountId, EthereumAddress owner, System.Numerics.BigInteger amount, RelayDepositRequest request,
        CancellationToken cancellationToken)
    {
        var ownerText = owner.ToString();
        // Newest first: after a relay of this permit reverted or was dropped, a later one may hold it.
        var candidates = await db.DepositRelays.AsNoTracking()
            .Where(r => r.AccountId == accountId && r.OwnerAddress == ownerText && r.Amount == amount && r.Deadline == request.Deadline)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .ToListAsync(cancellationToken);
        foreach (var relay in candidates)
        {
            try
            {
                new DepositPermit(chain, owner, amount, relay.PermitNonce, relay.Deadline).VerifiedSignature(request.Signature);
                return relay;
            }
            catch (ValidationFailedException)
            {
                // signed for another nonce: not this relay
            }
        }
        return null;
    }
}
