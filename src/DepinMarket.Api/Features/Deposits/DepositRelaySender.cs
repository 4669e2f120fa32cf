using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Rpc;
using DepinMarket.Domain;
using DepinMarket.Domain.Deposits;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DepinMarket.Api.Features.Deposits;

/// <summary>
/// Sends a checked permit as the settler's <c>depositWithPermit</c> so that it is never lost nor sent twice: under the
/// settler's sender lock (shared with the faucet, ADR 0006), sign, store the relay with the signed bytes and hash,
/// only then broadcast. <paramref name="db"/> must be a context of its own, outside any transaction of the request, so
/// the store is committed before the broadcast. The store and the broadcast do not run on the request's token: a client
/// hanging up changes nothing that is recorded. A second relay of a permit that a relay holds (owner and nonce, unique
/// among those in the database) is not sent: the one stored first is returned. A broadcast whose outcome is unknown
/// leaves the relay in doubt, for <see cref="DepositRelayResolver"/> to settle by its hash.
/// </summary>
internal sealed class DepositRelaySender(MarketDbContext db, DepositChain chain, NpgsqlDataSource dataSource, TimeProvider clock, ILogger logger, CancellationToken stopping)
{
    /// <summary>The new relay (true), or the relay stored first for the same permit (false).</summary>
    public async Task<(DepositRelay Relay, bool Created)> SendAsync(Guid accountId, DepositPermit permit, EthECDSASignature signature, CancellationToken requestAborted)
    {
        var settler = chain.Settler(dataSource);
        DepositRelay relay;
        await using (await settler.LockSenderAsync(requestAborted))
        {
            // A request that held the lock before this one may have relayed the same permit: then its nonce is spent or
            // pending, the gas estimate would refuse it, and that relay is the answer.
            if (await HolderAsync(permit) is not null)
            {
                return (await ExistingAsync(accountId, permit), false);
            }
            DepositRelay? added = null;
            try
            {
                // The nonce from the settler's sequence, taken in the transaction that stores the signed relay (ADR 0018).
                relay = await SettlerNonces.SignAndStoreAsync(db, settler, clock.Now(), async nonce =>
                {
                    var signed = await SignAsync(permit, signature, accountId, nonce, requestAborted);
                    added = DepositRelay.Sign(accountId, permit.Owner.ToString(), permit.Amount, permit.Nonce, permit.Deadline,
                        signed.TransactionHash, signed.GetRawTransactionHex(), clock.Now());
                    db.DepositRelays.Add(added);
                    return added;
                }, CancellationToken.None);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Another request relayed this permit first; the bytes signed here were never sent, and the rollback gave their nonce back.
                db.Entry(added!).State = EntityState.Detached;
                return (await ExistingAsync(accountId, permit), false);
            }
            try
            {
                await settler.BroadcastAsync(relay.SignedTransaction, stopping);
                relay.Broadcast();
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is RpcException or OperationCanceledException)
            {
                logger.LogWarning("Deposit relay {RelayId}: broadcasting {TransactionHash} failed ({Error}); it stays in doubt",
                    relay.Id, relay.TransactionHash, ex is RpcException rpc ? rpc.Kind.ToString() : "shutting down");
            }
            catch (DbUpdateConcurrencyException)
            {
                // A lookup (the account listing its relays) found it on the node first and recorded the same.
                await db.Entry(relay).ReloadAsync(CancellationToken.None);
            }
        }
        return (relay, true);
    }

    /// <summary>The relay that holds this permit; 409 when it belongs to another account or carries another permit with the same nonce.</summary>
    public async Task<DepositRelay> ExistingAsync(Guid accountId, DepositPermit permit)
    {
        var existing = await HolderAsync(permit);
        if (existing is null || existing.AccountId != accountId || !existing.IsPermit(permit.Owner.ToString(), permit.Amount, permit.Deadline))
        {
            throw new DomainException(DomainErrorKind.Conflict, "Permit nonce already relayed.",
                $"A permit of {permit.Owner} with nonce {permit.Nonce} is already being relayed; a nonce is good for one deposit. " +
                "Wait until it is mined (GET /v1/deposits/relays), then ask for new typed data (POST /v1/deposits/permit).");
        }
        return existing;
    }

    /// <summary>The relay that holds the permit's owner and nonce (at most one does, by the database's partial unique index), or null.</summary>
    private async Task<DepositRelay?> HolderAsync(DepositPermit permit)
    {
        var owner = permit.Owner.ToString();
        var relays = await db.DepositRelays.AsNoTracking()
            .Where(r => r.OwnerAddress == owner && r.PermitNonce == permit.Nonce)
            .ToListAsync(CancellationToken.None);
        return relays.SingleOrDefault(r => r.HoldsPermit);
    }

    /// <summary>Signs the relay; the node estimates its gas first, so a permit the chain would refuse is a 409 that names the contract's reason, and nothing is stored.</summary>
    private async Task<Chain.Transactions.SignedTransaction> SignAsync(DepositPermit permit, EthECDSASignature signature, Guid accountId, long nonce,
        CancellationToken cancellationToken)
    {
        try
        {
            return await chain.Vault.SignTransactionAsync(new DepositWithPermitFunction
            {
                Account = DepositReference.For(accountId), Owner = permit.Owner.ToString(), Amount = permit.Amount, Deadline = permit.Deadline,
                V = signature.V, R = signature.R, S = signature.S, Nonce = nonce,
            }, cancellationToken);
        }
        catch (RpcRevertException ex)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The chain refuses this deposit.",
                $"{ex.PublicMessage}. Nothing was sent. Check the wallet's balance and ask for new typed data (POST /v1/deposits/permit).");
        }
    }
}
