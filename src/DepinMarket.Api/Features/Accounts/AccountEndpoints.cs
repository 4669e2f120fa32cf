using DepinMarket.Api.Hosting;
using System.Security.Claims;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Domain.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Accounts;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/accounts").WithTags("Accounts");

        group.MapPost("/", CreateAccount)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimiting.SignUpPolicy)
            .WithName("CreateAccount")
            .WithSummary("Sign up: create an account and its first API key")
            .WithDescription("Returns the account and an API key with full scope. The key is shown once: store it. " +
                "The wallet is recorded as unverified until wallet sign-in proves control of it.")
            .ProducesValidationProblem();

        group.MapGet("/me", GetMe)
            .RequireAuthorization(Policies.Read)
            .WithName("GetMyAccount")
            .WithSummary("The account the API key belongs to");

        group.MapPut("/me/wallet", ChangeWallet)
            .RequireAuthorization(Policies.Write)
            .WithName("ChangeMyWallet")
            .WithSummary("Change the payout wallet, or release the verified one; the wallet is unverified afterwards")
            .WithDescription("A wallet is verified by one account at most: to verify it with another account, release it here first " +
                "(send the same address, or a new one). Prove the new wallet with /v1/auth/challenge and /v1/auth/verify.")
            .ProducesValidationProblem();

        return app;
    }

    internal static async Task<Created<CreatedAccountResponse>> CreateAccount(
        CreateAccountRequest request, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var wallet = WalletAuth.WalletAddress.Parse(request.WalletAddress, "walletAddress");
        var roles = request.Roles ?? [];
        var now = clock.Now();
        var account = Account.Open(request.DisplayName, roles.Contains(AccountRole.Provider), roles.Contains(AccountRole.Client),
            wallet.ToString(), now);
        db.Accounts.Add(account);
        var key = ApiKeyIssuer.Issue(db, account.Id, "first key", ApiKeyScope.Full, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created("/v1/accounts/me", new CreatedAccountResponse(AccountResponse.From(account), key));
    }

    internal static async Task<Ok<AccountResponse>> ChangeWallet(
        ChangeWalletRequest request, ClaimsPrincipal user, MarketDbContext db, CancellationToken cancellationToken)
    {
        var wallet = WalletAuth.WalletAddress.Parse(request.WalletAddress, "walletAddress");
        var id = user.AccountIdOf();
        var account = await db.Accounts.SingleAsync(a => a.Id == id, cancellationToken);
        account.ChangeWallet(wallet.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(AccountResponse.From(account));
    }

    internal static async Task<Ok<AccountResponse>> GetMe(ClaimsPrincipal user, MarketDbContext db, MarketChain chain, CancellationToken cancellationToken)
    {
        var id = user.AccountIdOf();
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == id, cancellationToken);
        return TypedResults.Ok(AccountResponse.From(account) with { Deposit = Deposits.DepositInstructions.For(account.Id, chain) });
    }
}
