using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Rpc;
using DepinMarket.Domain.Faucet;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DepinMarket.Api.Features.Faucet;

/// <summary>
/// Settles grants in doubt by asking the chain, never by minting again: the receipt of the stored hash decides
/// (confirmed or failed, once it has the configured confirmations). A node that does not know the transaction
/// (it was dropped, or never arrived) is sent the same stored bytes again, which can only ever mint once.
/// Called whenever the account asks (POST and GET /v1/faucet) and by <see cref="FaucetInDoubtSweep"/> for grants nobody asks
/// about; a node that cannot be reached leaves the grant in doubt.
/// </summary>
internal sealed class FaucetGrantResolver(MarketDbContext db, FaucetChain chain, NpgsqlDataSource dataSource, TimeProvider clock, ILogger logger)
{
    /// <summary>Resolves the in-doubt grants of an account and of a wallet (another account may have drawn for it before).</summary>
    public async Task ResolveInDoubtAsync(Guid accountId, string wallet, CancellationToken cancellationToken)
    {
        var open = await db.FaucetGrants
            .Where(g => g.Status == FaucetGrantStatus.InDoubt && (g.AccountId == accountId || g.WalletAddress == wallet))
            .OrderByDescending(g => g.GrantedAt).ThenByDescending(g => g.Id)
            .Take(10)
            .ToListAsync(cancellationToken);
        foreach (var grant in open)
        {
            if (!await ResolveAsync(grant, cancellationToken))
            {
                return; // the node is not answering: asking it about the next grant would only wait again
            }
        }
    }

    /// <summary>
    /// Looks the grant's mint up and records its outcome when the chain has one; otherwise leaves it in doubt.
    /// False when the node could not be reached (or could not tell), so a caller going through many grants can stop.
    /// </summary>
    public async Task<bool> ResolveAsync(FaucetGrant grant, CancellationToken cancellationToken)
    {
        if (grant.Status != FaucetGrantStatus.InDoubt)
        {
            return true;
        }
        try
        {
            var receipt = await chain.Settler(dataSource).FinalReceiptAsync(grant.TransactionHash!, grant.SignedTransaction!,
                () => logger.LogWarning("Faucet grant {GrantId}: nonce of mint {TransactionHash} is used by another transaction", grant.Id, grant.TransactionHash),
                cancellationToken);
            if (receipt is null)
            {
                return true;
            }
            grant.Resolved(receipt.Succeeded(), clock.Now());
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (RpcException ex)
        {
            logger.LogWarning("Faucet grant {GrantId}: mint {TransactionHash} still in doubt, the node could not tell ({Kind})",
                grant.Id, grant.TransactionHash, ex.Kind);
            return false;
        }
        catch (DbUpdateConcurrencyException)
        {
            // A request or the sweep recorded the outcome first; it is the same receipt, so take what it wrote.
            await db.Entry(grant).ReloadAsync(cancellationToken);
        }
        return true;
    }
}
