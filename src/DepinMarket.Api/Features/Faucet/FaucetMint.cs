using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using DepinMarket.Chain.Rpc;
using DepinMarket.Domain.Faucet;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DepinMarket.Api.Features.Faucet;

/// <summary>
/// Sends a reserved grant's mint so that its outcome is never lost: sign, store the signed bytes and hash (the
/// grant is now in doubt), only then broadcast, then wait for the receipt. Once signed, nothing the request does
/// (a client hanging up, a receipt timeout, a node error) gives the grant back; only a receipt that says the mint
/// reverted does. The broadcast and the wait run on <paramref name="stopping"/> (the host shutting down), not on
/// the request's token, so a client that hangs up does not cut the wait short.
/// </summary>
internal sealed class FaucetMint(
    MarketDbContext db, FaucetChain chain, NpgsqlDataSource dataSource, TimeProvider clock, ILogger logger, CancellationToken stopping)
{
    public async Task SendAsync(FaucetGrant grant, CancellationToken requestAborted)
    {
        // One settler transaction signed and broadcast at a time across all API instances (see SettlerTransactions.SenderLock).
        AdvisoryLock sender;
        try
        {
            sender = await chain.Settler(dataSource).LockSenderAsync(requestAborted);
        }
        catch
        {
            await GiveBackAsync(grant);
            throw;
        }
        bool broadcast;
        await using (sender)
        {
            await SignAndStoreAsync(grant, requestAborted);
            broadcast = await BroadcastAsync(grant);
        }
        if (broadcast)
        {
            await AwaitReceiptAsync(grant);
        }
    }

    /// <summary>Signs the mint and stores it; until the store succeeds nothing can reach the chain, so a failure gives the grant back.</summary>
    private async Task SignAndStoreAsync(FaucetGrant grant, CancellationToken requestAborted)
    {
        try
        {
            // The nonce from the settler's sequence, taken in the transaction that stores the signed mint (ADR 0018).
            await SettlerNonces.SignAndStoreAsync(db, chain.Settler(dataSource), clock.Now(), async nonce =>
            {
                var signed = await chain.Token.SignTransactionAsync(
                    new MintFunction { To = grant.WalletAddress, Amount = grant.Amount, Nonce = nonce }, requestAborted);
                grant.MintSigned(signed.TransactionHash, signed.GetRawTransactionHex());
                return signed;
            }, CancellationToken.None);
        }
        catch
        {
            await GiveBackAsync(grant);
            throw;
        }
    }

    /// <summary>
    /// Deletes the grant only if it is still reserved in the database: when the store of the signed mint failed
    /// after all but reached the database, the grant is in doubt there and stays (it is broadcast when next resolved).
    /// A give-back that fails too (the database is gone) leaves a reserved grant, which holds only its own cooldown.
    /// </summary>
    private async Task GiveBackAsync(FaucetGrant grant)
    {
        db.Entry(grant).State = EntityState.Detached;
        try
        {
            await db.FaucetGrants.Where(g => g.Id == grant.Id && g.Status == FaucetGrantStatus.Reserved).ExecuteDeleteAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Faucet grant {GrantId}: could not give the reserved grant back", grant.Id);
        }
    }

    /// <summary>Broadcasts the stored bytes; a refusal or a silent node leaves the grant in doubt, to be sent again when resolved.</summary>
    private async Task<bool> BroadcastAsync(FaucetGrant grant)
    {
        try
        {
            await chain.Settler(dataSource).BroadcastAsync(grant.SignedTransaction!, stopping);
            return true;
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException)
        {
            logger.LogWarning("Faucet grant {GrantId}: broadcasting mint {TransactionHash} failed ({Error}); it stays in doubt",
                grant.Id, grant.TransactionHash, ex is RpcException rpc ? rpc.Kind.ToString() : "shutting down");
            return false;
        }
    }

    private async Task AwaitReceiptAsync(FaucetGrant grant)
    {
        try
        {
            var receipt = await chain.Client.WaitForReceiptAsync(grant.TransactionHash!, stopping);
            grant.Resolved(receipt.Succeeded(), clock.Now());
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is TransactionReceiptTimeoutException or RpcException or OperationCanceledException)
        {
            logger.LogInformation("Faucet grant {GrantId}: no final receipt for mint {TransactionHash} yet ({Reason}); it stays in doubt",
                grant.Id, grant.TransactionHash, ex.GetType().Name);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A lookup (a request of the account, or the background sweep) resolved it meanwhile: same receipt, same outcome.
            await db.Entry(grant).ReloadAsync(CancellationToken.None);
        }
    }
}
