using System.Security.Claims;
using System.Security.Cryptography;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Data.Configurations;
using DepinMarket.Api.Features.Accounts;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Signing;
using DepinMarket.Chain.Util;
using DepinMarket.Domain;
using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.WalletAuth;

/// <summary>
/// Wallet sign-in: the server issues a single-use message for an address, the wallet signs it
/// (personal_sign), and verify checks signer, nonce, expiry and that not a character changed. With an
/// API key, it marks that account's payout wallet verified; without one, it signs in the account that
/// verified the wallet (or the only one that names it, when none has) and issues it a new API key. A wallet is
/// verified by one account at most, so nobody can block its owner's sign-in by naming the wallet in a sign-up.
/// </summary>
public static class WalletAuthEndpoints
{
    public static WebApplication MapWalletAuth(this WebApplication app)
    {
        var group = app.MapGroup("/v1/auth").WithTags("Wallet sign-in").AllowAnonymous();

        group.MapPost("/challenge", Challenge)
            .WithName("CreateSignInChallenge")
            .WithSummary("Get a single-use sign-in message (EIP-4361 style) for a wallet address")
            .ProducesValidationProblem();

        group.MapPost("/verify", Verify)
            .WithName("VerifySignIn")
            .WithSummary("Send the signed message: verifies the wallet (with an API key) or signs in by wallet (without)")
            .WithDescription("Sign the message with personal_sign, e.g. `cast wallet sign --private-key $KEY \"$MESSAGE\"` " +
                "or ethers' `wallet.signMessage(message)`. Replayed, expired, altered or wrongly signed messages are refused with the reason.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    internal static async Task<Ok<ChallengeResponse>> Challenge(
        ChallengeRequest request, HttpContext http, MarketDbContext db, SignInSites sites, IOptions<SignInOptions> signIn, IOptions<ChainOptions> chain,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var address = WalletAddress.Parse(request.Address, "address");
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var message = SignInMessage.Create(sites.For(http), address.ToString(), chain.Value.ChainId, nonce, clock.Now(), signIn.Value.ChallengeLifetime);
        db.WalletChallenges.Add(WalletChallenge.Issue(address.ToString(), nonce, message));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new ChallengeResponse(message.Text, nonce, message.ExpiresAt));
    }

    internal static async Task<Results<Ok<VerifyResponse>, ChallengeHttpResult>> Verify(
        VerifyRequest request, HttpContext http, ClaimsPrincipal user, MarketDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        // Anonymous callers are welcome here, so a key that fails authentication (revoked, wrong) would silently turn
        // the call into a keyless sign-in that issues a fresh key. A key that is sent must be valid: 401 with the reason.
        if ((await http.AuthenticateAsync()).Failure is not null)
        {
            return TypedResults.Challenge();
        }
        if (user.Identity?.IsAuthenticated == true && user.FindFirst(MarketClaims.AccountId) is null)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Forbidden.", "The operator key has no wallet; verify with an account's API key, or with none to sign in by wallet.");
        }

        var nonce = SignInMessage.NonceOf(request.Message)
            ?? throw ValidationFailedException.For("message", "has no \"Nonce:\" line; send the message from /v1/auth/challenge unchanged.");
        var challenge = await db.WalletChallenges.SingleOrDefaultAsync(c => c.Nonce == nonce, cancellationToken)
            ?? throw ValidationFailedException.For("message", "names a nonce this server never issued; ask /v1/auth/challenge for a message.");
        challenge.Redeem(request.Message, clock.Now());
        var signer = RecoverSigner(challenge.Message, request.Signature);
        if (!string.Equals(signer.ToString(), challenge.Address, StringComparison.Ordinal))
        {
            throw ValidationFailedException.For("signature", $"was made by {signer}, not by {challenge.Address}, the address the message is for.");
        }

        var account = await FindAccount(user, challenge.Address, db, cancellationToken);
        account.MarkWalletVerified();
        // A key only for a sign-in by wallet: a caller who sent a key already has one.
        var key = user.FindFirst(MarketClaims.AccountId) is null
            ? ApiKeyIssuer.Issue(db, account.Id, "wallet sign-in", ApiKeyScope.Full, clock.Now())
            : null;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique
            && unique.ConstraintName == AccountConfiguration.VerifiedWalletIndex)
        {
            // Another account verified the same wallet a moment before: the index decides, the answer explains.
            throw VerifiedByAnother(challenge.Address);
        }
        return TypedResults.Ok(new VerifyResponse(AccountResponse.From(account), key));
    }

    private static async Task<Account> FindAccount(ClaimsPrincipal user, string address, MarketDbContext db, CancellationToken cancellationToken)
    {
        if (user.FindFirst(MarketClaims.AccountId) is not null)
        {
            if (user.FindFirst(MarketClaims.Scope)?.Value != MarketClaims.FullScope)
            {
                throw new DomainException(DomainErrorKind.Forbidden, "Forbidden.", "This API key is read-only; verifying a wallet needs a key with the \"full\" scope.");
            }
            var id = user.AccountIdOf();
            var account = await db.Accounts.SingleAsync(a => a.Id == id, cancellationToken);
            if (!string.Equals(account.WalletAddress, address, StringComparison.OrdinalIgnoreCase))
            {
                throw new DomainException(DomainErrorKind.Conflict, "Not this account's wallet.",
                    $"The message is for {address}, but this account's payout wallet is {account.WalletAddress}.");
            }
            if (!account.WalletVerified && await db.Accounts.AnyAsync(a => a.WalletAddress == address && a.WalletVerified && a.Id != id, cancellationToken))
            {
                throw VerifiedByAnother(address);
            }
            return account;
        }

        // Sign-in by wallet: the account that proved the wallet, whoever else names it unverified.
        var verified = await db.Accounts.Where(a => a.WalletAddress == address && a.WalletVerified).OrderBy(a => a.Id).FirstOrDefaultAsync(cancellationToken);
        if (verified is not null)
        {
            return verified;
        }
        var claimants = await db.Accounts.Where(a => a.WalletAddress == address).OrderBy(a => a.Id).Take(2).ToListAsync(cancellationToken);
        return claimants.Count switch
        {
            1 => claimants[0],
            0 => throw new DomainException(DomainErrorKind.NotFound, "No account has this wallet.",
                $"No account has {address} as its payout wallet; sign up with POST /v1/accounts first."),
            _ => throw new DomainException(DomainErrorKind.Conflict, "Several accounts name this wallet.",
                "Several accounts name this wallet and none has verified it yet; verify it with an API key of the one you mean " +
                "(POST /v1/auth/verify with that key). After that, signing in by wallet finds that account."),
        };
    }

    private static DomainException VerifiedByAnother(string address) => new(DomainErrorKind.Conflict, "Wallet verified by another account.",
        $"Another account has already verified {address}, and a wallet is verified by one account at most. That account must release it first " +
        "(PUT /v1/accounts/me/wallet with another address, or the same one to keep it unverified); or sign in to it by wallet (POST /v1/auth/verify without an API key).");

    private static EthereumAddress RecoverSigner(string message, string signature)
    {
        byte[] bytes;
        try
        {
            bytes = signature.HexToByteArray();
        }
        catch (FormatException)
        {
            throw ValidationFailedException.For("signature", "must be 0x-prefixed hex (65 bytes: r, s, v).");
        }
        if (bytes.Length != 65)
        {
            throw ValidationFailedException.For("signature", $"must be 65 bytes (r, s, v); got {bytes.Length}.");
        }
        try
        {
            return EthereumMessageSigner.RecoverAddress(System.Text.Encoding.UTF8.GetBytes(message), bytes);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or CryptographicException or InvalidOperationException)
        {
            throw ValidationFailedException.For("signature", "is not a valid secp256k1 signature of this message.");
        }
    }
}
