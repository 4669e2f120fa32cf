using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Rpc;
using DepinMarket.Domain.Deposits;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DepinMarket.Api.Features.Deposits;

/// <summary>
/// Settles an account's open relays by asking the chain about their stored hashes, never by signing again (the
/// settler's shared lookup: the receipt first, else the same stored bytes once more). Called when the account lists
/// its relays; a node that cannot be reached leaves them as they are.
/// </summary>
internal sealed class DepositRelayResolver(MarketDbContext db, DepositChain chain, NpgsqlDataSource dataSource, TimeProvider clock, ILogger logger)
{
    private const int Batch = 10;

    public async Task ResolveOpenAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var open = await db.DepositRelays
            .Where(r => r.AccountId == accountId && (r.Status == DepositRelayStatus.InDoubt || r.Status == DepositRelayStatus.Relayed))
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Take(Batch)
            .ToListAsync(cancellationToken);
        var settler = chain.Settler(dataSource);
        foreach (var relay in open)
        {
            try
            {
                var receipt = await settler.FinalReceiptAsync(relay.TransactionHash, relay.SignedTransaction,
                    () => logger.LogWarning("Deposit relay {RelayId}: nonce of {TransactionHash} is used by another transaction", relay.Id, relay.TransactionHash),
                    cancellationToken);
                if (receipt is not null)
                {
                    relay.Resolved(receipt.Succeeded(), clock.Now());
                    await db.SaveChangesAsync(cancellationToken);
                }
            }
            catch (RpcException ex)
            {
                logger.LogWarning("Deposit relay {RelayId}: {TransactionHash} still open, the node could not tell ({Kind})", relay.Id, relay.TransactionHash, ex.Kind);
                return; // asking the node about the next relay would only wait again
            }
            catch (DbUpdateConcurrencyException)
            {
                await db.Entry(relay).ReloadAsync(cancellationToken); // another request recorded the same receipt first
            }
        }
    }
}
