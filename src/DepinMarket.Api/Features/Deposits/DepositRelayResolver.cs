using DepinMarket.Api.Data;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Rpc;
using DepinMarket.Domain.Deposits;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DepinMarket.Api.Features.Deposits;

/// <summary>
/// Settles open relays by asking the chain about their stored hashes, never by signing again (ADR 0016):
/// <list type="number">
/// <item>A receipt with the configured confirmations settles it as mined or reverted; a shallower one, or the
/// transaction waiting in the node's pool, marks it relayed. Nothing is sent.</item>
/// <item>A transaction the node does not know (never received, dropped, or the process stopped after storing it) is
/// sent again, the same stored bytes, only if the vault would take it now: the permit's nonce still unused and its
/// deadline not passed, or the nonce spent by someone who front-ran the permit (the vault then takes the allowance
/// that set). The vault itself is asked (the stored call run as the settler, nothing sent).</item>
/// <item>When the vault would refuse it (the permit expired unused, or its nonce went to another permit), or another
/// settler transaction took its nonce for good, it is dropped: nothing moved, and the permit no longer holds the
/// owner's nonce.</item>
/// </list>
/// Called when the account lists its relays and by <see cref="DepositRelaySweep"/> for relays nobody asks about; a
/// node that cannot be reached leaves them as they are.
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
        foreach (var relay in open)
        {
            if (!await ResolveAsync(relay, cancellationToken))
            {
                return; // asking the node about the next relay would only wait again
            }
        }
    }

    /// <summary>
    /// Looks the relay up and records what the chain says. False when the node could not be reached (or could not
    /// tell), so a caller going through many relays can stop.
    /// </summary>
    public async Task<bool> ResolveAsync(DepositRelay relay, CancellationToken cancellationToken)
    {
        if (!relay.IsOpen)
        {
            return true;
        }
        var before = relay.Status;
        try
        {
            await LookUpAsync(relay, cancellationToken);
            if (relay.Status != before)
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (RpcException ex)
        {
            logger.LogWarning("Deposit relay {RelayId}: {TransactionHash} still open, the node could not tell ({Kind})", relay.Id, relay.TransactionHash, ex.Kind);
            return false;
        }
        catch (DbUpdateConcurrencyException)
        {
            await db.Entry(relay).ReloadAsync(cancellationToken); // a request or the sweep recorded the same outcome first
        }
        return true;
    }

    private async Task LookUpAsync(DepositRelay relay, CancellationToken cancellationToken)
    {
        var settler = chain.Settler(dataSource);
        var lookup = await settler.LookUpAsync(relay.TransactionHash, cancellationToken);
        if (!lookup.IsUnknown)
        {
            Record(relay, lookup);
            return;
        }
        var nonce = await chain.PermitNonceAsync(Chain.Util.EthereumAddress.Parse(relay.OwnerAddress), cancellationToken);
        if (nonce < relay.PermitNonce)
        {
            logger.LogWarning("Deposit relay {RelayId}: the node reports permit nonce {Nonce}, below the relay's {PermitNonce}; it is behind, so {TransactionHash} stays in doubt",
                relay.Id, nonce, relay.PermitNonce, relay.TransactionHash);
            return;
        }
        if (await RefusalAsync(settler, relay, nonce, cancellationToken) is { } refusal)
        {
            Drop(relay, refusal);
            return;
        }
        switch (await settler.ResendAsync(relay.TransactionHash, relay.SignedTransaction, cancellationToken))
        {
            case Resent.Sent:
                logger.LogInformation("Deposit relay {RelayId}: the node did not know {TransactionHash}; the stored bytes were sent again", relay.Id, relay.TransactionHash);
                relay.Broadcast();
                break;
            case Resent.Mined:
                Record(relay, await settler.LookUpAsync(relay.TransactionHash, cancellationToken));
                break;
            case Resent.NonceTaken when await settler.IsNonceSpentByAnotherAsync(relay.TransactionHash, relay.SignedTransaction, cancellationToken):
                Drop(relay, "another settler transaction took its nonce in a confirmed block, so it can never be mined");
                break;
            case Resent.NonceTaken:
                logger.LogWarning("Deposit relay {RelayId}: nonce of {TransactionHash} is used by another transaction; in doubt until that block is confirmed",
                    relay.Id, relay.TransactionHash);
                break;
        }
    }

    private void Record(DepositRelay relay, TransactionLookup lookup)
    {
        if (lookup.Receipt is { } receipt && lookup.IsFinal)
        {
            relay.Resolved(receipt.Succeeded(), clock.Now());
        }
        else if (lookup.Receipt is not null || lookup.IsPending)
        {
            relay.Broadcast(); // the node has it: in doubt no longer, and nothing to send
        }
    }

    /// <summary>Why the vault would refuse the stored <c>depositWithPermit</c> now, given the owner's permit nonce on chain; null when it would take it.</summary>
    private static async Task<string?> RefusalAsync(SettlerTransactions settler, DepositRelay relay, System.Numerics.BigInteger nonce, CancellationToken cancellationToken)
    {
        if (nonce == relay.PermitNonce)
        {
            var latest = await settler.Client.Eth.GetBlockByNumberAsync(BlockParameter.Latest, cancellationToken);
            if (latest is not null && latest.Timestamp > relay.Deadline)
            {
                return $"its permit expired unused (deadline {relay.Deadline}, the chain is at {latest.Timestamp})";
            }
        }
        // Unused and in time, or spent: the vault decides, run as the settler would send it. A permit someone else
        // submitted first still deposits (the vault checks the signature against the spent nonce and takes the
        // allowance it set); a nonce that went to another permit, or a balance that fell short, does not.
        if (await settler.RefusalAsync(relay.TransactionHash, relay.SignedTransaction, cancellationToken) is not { } refused)
        {
            return null;
        }
        var why = $"{refused.PublicMessage}{(refused.ErrorSelector is { } selector ? $" (error {selector})" : "")}";
        return nonce > relay.PermitNonce
            ? $"its permit's nonce {relay.PermitNonce} was spent without it and the vault refuses it now: {why}"
            : $"the vault refuses it now: {why}";
    }

    private void Drop(DepositRelay relay, string reason)
    {
        logger.LogWarning("Deposit relay {RelayId}: {TransactionHash} is not on the chain and {Reason}; dropped, nothing moved", relay.Id, relay.TransactionHash, reason);
        relay.Dropped(clock.Now());
    }
}
