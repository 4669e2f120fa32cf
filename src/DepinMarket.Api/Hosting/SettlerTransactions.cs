using DepinMarket.Chain;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.TransactionManagement;
using DepinMarket.Chain.Transactions;
using Npgsql;

namespace DepinMarket.Api.Hosting;

/// <summary>What the node knows of a stored settler transaction.</summary>
/// <param name="Receipt">Its receipt once mined, else null.</param>
/// <param name="IsFinal">Mined with the configured confirmations.</param>
/// <param name="IsPending">Not mined, but waiting in the node's pool.</param>
internal sealed record TransactionLookup(TransactionReceipt? Receipt, bool IsFinal, bool IsPending)
{
    /// <summary>Neither mined nor pending: the node never received it (the broadcast failed, the process stopped first) or dropped it.</summary>
    public bool IsUnknown => Receipt is null && !IsPending;
}

/// <summary>What sending stored bytes again came to.</summary>
internal enum Resent
{
    /// <summary>The node took them (or already had them).</summary>
    Sent,

    /// <summary>The node refused them as "nonce too low" and has a receipt for them: mined after all (look it up).</summary>
    Mined,

    /// <summary>"Nonce too low" and no receipt: another settler transaction has the nonce, this one can no longer be mined.</summary>
    NonceTaken,
}

/// <summary>
/// What every transaction the settler key sends (faucet mints, relayed permit deposits) shares, so that none of them
/// can be lost or sent twice: one lock around signing and broadcasting, and the lookups that settle a transaction in
/// doubt by its stored hash and bytes, never by signing again.
/// </summary>
internal sealed class SettlerTransactions(ChainClient client, ITransactionManager manager, ChainOptions options, NpgsqlDataSource dataSource)
{
    /// <summary>
    /// One sender at a time across API instances, from before a transaction is signed until after it is broadcast,
    /// and around every re-broadcast, because the settler's nonce is taken from the node's pending count (ADR 0006).
    /// A re-broadcast under it can never overtake the first broadcast of the same bytes. The value spells "faucetmt",
    /// the faucet's key from before deposits shared it: an instance of the old version still serialises with this one.
    /// </summary>
    public const long SenderLock = 0x6661756365746d74;

    public ChainClient Client => client;

    public long ChainId => options.ChainId;

    /// <summary>The settler's address, as its nonces are kept (lower case).</summary>
    public string Address => manager.Account.ToString().ToLowerInvariant();

    /// <summary>The node's count of the settler's transactions, pending ones included: no nonce below it is free.</summary>
    public Task<System.Numerics.BigInteger> PendingCountAsync(CancellationToken cancellationToken) =>
        client.Eth.GetTransactionCountAsync(manager.Account.ToString(), BlockParameter.Pending, cancellationToken);

    /// <summary>Waits for the sender lock; dispose it once the transaction is stored and broadcast.</summary>
    public Task<AdvisoryLock> LockSenderAsync(CancellationToken cancellationToken) =>
        AdvisoryLock.TakeAsync(dataSource, SenderLock, cancellationToken);

    /// <summary>Sends stored bytes (call under <see cref="LockSenderAsync"/>).</summary>
    public Task BroadcastAsync(string signedTransaction, CancellationToken cancellationToken) =>
        manager.SendRawTransactionAsync(TransactionFactory.CreateTransaction(signedTransaction), cancellationToken);

    /// <summary>The receipt first, then the node's pool: nothing is sent.</summary>
    /// <exception cref="RpcException">The node could not be reached or could not tell.</exception>
    public async Task<TransactionLookup> LookUpAsync(string transactionHash, CancellationToken cancellationToken)
    {
        if (await client.Eth.GetTransactionReceiptAsync(transactionHash, cancellationToken) is { } receipt)
        {
            return new TransactionLookup(receipt, await IsFinalAsync(receipt, cancellationToken), IsPending: false);
        }
        // Mined between the two calls, it is found here with a block: the next lookup has its receipt.
        var known = await client.Eth.GetTransactionByHashAsync(transactionHash, cancellationToken) is not null;
        return new TransactionLookup(null, IsFinal: false, IsPending: known);
    }

    /// <summary>
    /// The receipt of a transaction in doubt once it has the configured confirmations, else null (not mined yet, not
    /// deep enough, or unknown to the node, which is then sent the same stored bytes again under the sender lock; one
    /// the node holds in its pool is left alone). <paramref name="nonceTaken"/> is called when another transaction of
    /// the settler took this one's nonce: it can no longer be mined, but it stays in doubt rather than being settled on
    /// a guess (a lagging node says the same).
    /// </summary>
    /// <exception cref="RpcException">The node could not be reached or could not tell.</exception>
    public async Task<TransactionReceipt?> FinalReceiptAsync(
        string transactionHash, string signedTransaction, Action nonceTaken, CancellationToken cancellationToken)
    {
        var lookup = await LookUpAsync(transactionHash, cancellationToken);
        if (lookup.IsUnknown)
        {
            switch (await ResendAsync(transactionHash, signedTransaction, cancellationToken))
            {
                case Resent.Mined:
                    lookup = await LookUpAsync(transactionHash, cancellationToken);
                    break;
                case Resent.NonceTaken:
                    nonceTaken();
                    break;
            }
        }
        return lookup.IsFinal ? lookup.Receipt : null;
    }

    /// <summary>Sends the stored bytes again, under the sender lock (never between another instance's signing and first broadcast).</summary>
    /// <exception cref="RpcException">The node could not be reached, or refused the bytes for another reason than their nonce.</exception>
    public async Task<Resent> ResendAsync(string transactionHash, string signedTransaction, CancellationToken cancellationToken)
    {
        var signed = Decode(transactionHash, signedTransaction);
        try
        {
            await using (await LockSenderAsync(cancellationToken))
            {
                await manager.SendRawTransactionAsync(signed, cancellationToken);
            }
            return Resent.Sent;
        }
        catch (NonceTooLowException)
        {
            // Re-sending a transaction that was mined answers "nonce too low", not "already known".
            return await client.Eth.GetTransactionReceiptAsync(transactionHash, cancellationToken) is null ? Resent.NonceTaken : Resent.Mined;
        }
    }

    /// <summary>
    /// Whether the stored transaction can never be mined: its nonce is used by a block with the configured
    /// confirmations, and the transaction has no receipt. Asked in that order, so a transaction mined meanwhile is seen.
    /// </summary>
    public async Task<bool> IsNonceSpentByAnotherAsync(string transactionHash, string signedTransaction, CancellationToken cancellationToken)
    {
        var signed = Decode(transactionHash, signedTransaction);
        var confirmed = await client.Eth.BlockNumberAsync(cancellationToken) - (Math.Max(1, options.ConfirmationDepth) - 1);
        if (confirmed < 0 || await client.Eth.GetTransactionCountAsync(manager.Account.ToString(), BlockParameter.FromNumber(confirmed), cancellationToken) <= signed.Nonce)
        {
            return false;
        }
        return await client.Eth.GetTransactionReceiptAsync(transactionHash, cancellationToken) is null;
    }

    /// <summary>
    /// Runs the stored call now as the settler would (eth_call with its sender, target, data and gas limit) without
    /// sending anything: null when it would succeed, else the contract's refusal.
    /// </summary>
    /// <exception cref="RpcException">The node could not be reached or could not tell.</exception>
    public async Task<RpcRevertException?> RefusalAsync(string transactionHash, string signedTransaction, CancellationToken cancellationToken)
    {
        var signed = Decode(transactionHash, signedTransaction);
        try
        {
            await client.Eth.CallAsync(new CallInput
            {
                From = manager.Account.ToString(),
                To = signed.To?.ToString(),
                Data = signed.Data.ToHex(prefix: true),
                Gas = signed.GasLimit,
                Value = signed.Value.IsZero ? null : signed.Value,
            }, BlockParameter.Latest, cancellationToken);
            return null;
        }
        catch (RpcRevertException refused)
        {
            return refused;
        }
    }

    private static SignedTransaction Decode(string transactionHash, string signedTransaction)
    {
        var signed = TransactionFactory.CreateTransaction(signedTransaction);
        if (!string.Equals(signed.TransactionHash, transactionHash, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The stored transaction hashes to {signed.TransactionHash}, not {transactionHash}.");
        }
        return signed;
    }

    private async Task<bool> IsFinalAsync(TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        var depth = options.ConfirmationDepth;
        return depth <= 1 || await client.Eth.BlockNumberAsync(cancellationToken) - receipt.BlockNumber + 1 >= depth;
    }
}
