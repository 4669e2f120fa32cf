using DepinMarket.Api.Data;
using DepinMarket.Domain;
using DepinMarket.Domain.Faucet;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Features.Faucet;

/// <summary>
/// Takes the cooldown: checks the wallet and the last grants, and writes a reserved grant, in one transaction that
/// holds the account's row lock and a lock on the wallet, so neither two requests of one account nor two accounts
/// drawing for one wallet can both pass. A grant counts until its receipt says it failed, whatever state it is in.
/// </summary>
internal static class FaucetCooldown
{
    // Advisory locks in the two-key space, class "faucet wallet"; the second key is the wallet's hash.
    private const int WalletLockClass = 0x66617563; // "fauc"

    public static async Task<FaucetGrant> ReserveAsync(
        MarketDbContext db, Guid accountId, System.Numerics.BigInteger amount, TimeSpan cooldown, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var account = await db.Accounts.FromSql($"select * from accounts where id = {accountId} for update").SingleAsync(cancellationToken);
        if (!account.WalletVerified)
        {
            throw new DomainException(DomainErrorKind.Conflict, "Wallet not verified.",
                $"Prove that you control {account.WalletAddress} first: POST /v1/auth/challenge, sign the message, POST /v1/auth/verify.");
        }
        var wallet = account.WalletAddress;
        await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock({WalletLockClass}, hashtext({wallet}))", cancellationToken);

        var last = await db.FaucetGrants.AsNoTracking()
            .Where(g => (g.AccountId == accountId || g.WalletAddress == wallet) && g.Status != FaucetGrantStatus.Failed)
            .OrderByDescending(g => g.GrantedAt).ThenByDescending(g => g.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (last is not null && now - last.GrantedAt < cooldown)
        {
            throw TooSoon(last, accountId, cooldown, now);
        }

        var grant = FaucetGrant.Reserve(accountId, wallet, amount, now);
        db.FaucetGrants.Add(grant);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return grant;
    }

    private static TooSoonException TooSoon(FaucetGrant last, Guid accountId, TimeSpan cooldown, DateTimeOffset now)
    {
        var wait = last.GrantedAt + cooldown - now;
        var who = last.AccountId == accountId ? "This account" : $"Wallet {last.WalletAddress}";
        var pending = last.Status == FaucetGrantStatus.InDoubt
            ? $" That grant's mint ({last.TransactionHash}) is not confirmed yet; it still counts, since it may be on the chain (GET /v1/faucet shows it)."
            : "";
        return new TooSoonException(
            $"{who} drew test tokens at {last.GrantedAt:O}; the faucet gives once every {cooldown} per account and per wallet.{pending} " +
            $"Try again in {Math.Ceiling(wait.TotalMinutes)} min.", wait);
    }
}
