using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Deployment;
using DepinMarket.Domain;
using DepinMarket.Domain.Faucet;
using DepinMarket.Domain.Money;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Faucet;

/// <summary>Configuration section "Faucet".</summary>
public sealed class FaucetOptions
{
    /// <summary>Whole tokens per grant, as a decimal string.</summary>
    public string AmountTokens { get; set; } = "1000";

    /// <summary>How long an account waits between grants.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromHours(1);
}

/// <param name="TransactionHash">The mint transaction, mined with the configured confirmations.</param>
/// <param name="Amount">Whole tokens minted.</param>
public sealed record FaucetResponse(string TransactionHash, string Amount, string To);

/// <summary>
/// Test tokens for a verified wallet, on test networks only: the mint is sent by the token owner's key,
/// at most once per cooldown per account. On any chain id that is not a test network it refuses.
/// </summary>
public static class FaucetEndpoints
{
    // One mint at a time from this process: the settler key's nonce is taken from the node's pending count.
    // (Settlement will keep nonces in PostgreSQL; until then a single API instance sends faucet mints.)
    private static readonly SemaphoreSlim Sending = new(1, 1);

    public static WebApplication MapFaucet(this WebApplication app)
    {
        app.MapPost("/v1/faucet", Grant)
            .RequireAuthorization(Policies.Write)
            .WithTags("Chain")
            .WithName("DrawFaucetTokens")
            .WithSummary("Mint test tokens to this account's verified wallet (test networks only, once per cooldown)")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<Ok<FaucetResponse>> Grant(
        ClaimsPrincipal user, MarketDbContext db, MarketChain chain, IOptions<FaucetOptions> options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (client, token) = Ready(chain);
        var amount = TokenAmount.Parse(options.Value.AmountTokens);
        var accountId = user.AccountIdOf();
        var grant = await Reserve(db, accountId, amount, options.Value.Cooldown, clock.Now(), cancellationToken);

        string hash;
        await Sending.WaitAsync(cancellationToken);
        try
        {
            hash = await MarketContracts.MintAsync(client, token, Chain.Util.EthereumAddress.Parse(grant.WalletAddress), amount.BaseUnits, cancellationToken);
        }
        catch
        {
            // Nothing was minted (or the send is in doubt and the node will tell): give the cooldown back.
            db.FaucetGrants.Remove(grant);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        finally
        {
            Sending.Release();
        }
        grant.Sent(hash);
        await db.SaveChangesAsync(CancellationToken.None);
        return TypedResults.Ok(new FaucetResponse(hash, amount.ToString(), grant.WalletAddress));
    }

    private static (Chain.ChainClient Client, Chain.Util.EthereumAddress Token) Ready(MarketChain chain)
    {
        if (chain.Client is null)
        {
            throw new DomainException(DomainErrorKind.Unavailable, "No chain configured.", "This API runs without a chain (Chain:RpcUrl is not set), so there is no faucet.");
        }
        if (!chain.Options.IsTestNet)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "No faucet on this chain.",
                $"Chain {chain.Options.ChainId} is not a test network; the faucet only runs on local and test networks.");
        }
        if (chain.Signer is null || chain.Token is null)
        {
            throw new DomainException(DomainErrorKind.Unavailable, "Faucet not set up.",
                "The faucet needs the token address (Chain:TokenAddress, written by 'chain deploy') and the token owner's key (Chain__SettlerPrivateKey).");
        }
        return (chain.Client, chain.Token.Value);
    }

    /// <summary>
    /// Checks the wallet and the cooldown and writes the grant in one transaction holding the account's row
    /// lock, so two requests racing for the same account cannot both pass the cooldown.
    /// </summary>
    private static async Task<FaucetGrant> Reserve(
        MarketDbContext db, Guid accountId, TokenAmount amount, TimeSpan cooldown, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var account = await db.Accounts.FromSql($"select * from accounts where id = {accountId} for update").SingleAsync(cancellationToken);
        if (!account.WalletVerified)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Wallet not verified.",
                $"Prove that you control {account.WalletAddress} first: POST /v1/auth/challenge, sign the message, POST /v1/auth/verify.");
        }
        var last = await db.FaucetGrants.Where(g => g.AccountId == accountId).OrderByDescending(g => g.GrantedAt)
            .Select(g => (DateTimeOffset?)g.GrantedAt).FirstOrDefaultAsync(cancellationToken);
        if (last is { } previous && now - previous < cooldown)
        {
            var wait = previous + cooldown - now;
            throw new TooSoonException($"This account drew test tokens at {previous:O}; the faucet gives once every {cooldown}. Try again in {Math.Ceiling(wait.TotalMinutes)} min.", wait);
        }
        var grant = FaucetGrant.Reserve(accountId, account.WalletAddress, amount.BaseUnits, now);
        db.FaucetGrants.Add(grant);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return grant;
    }
}
