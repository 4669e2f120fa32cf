using DepinMarket.Chain;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.TransactionManagement;
using DepinMarket.Chain.Transactions;
using Npgsql;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// What every transaction the settler key sends (faucet mints, relayed permit deposits) shares, so that none of them
/// can be lost or sent twice: one lock around signing and broadcasting, and the lookup that settles a transaction in
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

    /// <summary>Waits for the sender lock; dispose it once the transaction is stored and broadcast.</summary>
    public Task<AdvisoryLock> LockSenderAsync(CancellationToken cancellationToken) =>
        AdvisoryLock.TakeAsync(dataSource, SenderLock, cancellationToken);

    /// <summary>Sends stored bytes (call under <see cref="LockSenderAsync"/>).</summary>
    public Task BroadcastAsync(string signedTransaction, CancellationToken cancellationToken) =>
        manager.SendRawTransactionAsync(TransactionFactory.CreateTransaction(signedTransaction), cancellationToken);

    /// <summary>
    /// The receipt of a transaction in doubt once it has the configured confirmations, else null (not mined yet, not
    /// deep enough, or unknown to the node, which is then sent the same stored bytes again under the sender lock).
    /// <paramref name="nonceTaken"/> is called when another transaction of the settler took this one's nonce: it
    /// can no longer be mined, but it stays in doubt rather than being settled on a guess (a lagging node says the same).
    /// </summary>
    /// <exception cref="RpcException">The node could not be reached or could not tell.</exception>
    public async Task<TransactionReceipt?> FinalReceiptAsync(
        string transactionHash, string signedTransaction, Action nonceTaken, CancellationToken cancellationToken)
    {
        // Receipt first: re-sending a transaction that was already mined answers "nonce too low", not "already known".
        var receipt = await client.Eth.GetTransactionReceiptAsync(transactionHash, cancellationToken)
            ?? await RebroadcastAsync(transactionHash, signedTransaction, nonceTaken, cancellationToken);
        return receipt is not null && await IsFinalAsync(receipt, cancellationToken) ? receipt : null;
    }

    private async Task<TransactionReceipt?> RebroadcastAsync(
        string transactionHash, string signedTransaction, Action nonceTaken, CancellationToken cancellationToken)
    {
        var signed = TransactionFactory.CreateTransaction(signedTransaction);
        if (!string.Equals(signed.TransactionHash, transactionHash, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The stored transaction hashes to {signed.TransactionHash}, not {transactionHash}.");
        }
        try
        {
            // Under the sender lock: never between another instance's signing and first broadcast.
            await using (await LockSenderAsync(cancellationToken))
            {
                await manager.SendRawTransactionAsync(signed, cancellationToken);
            }
            return null;
        }
        catch (NonceTooLowException)
        {
            var receipt = await client.Eth.GetTransactionReceiptAsync(transactionHash, cancellationToken);
            if (receipt is null)
            {
                nonceTaken();
            }
            return receipt;
        }
    }

    private async Task<bool> IsFinalAsync(TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        var depth = options.ConfirmationDepth;
        return depth <= 1 || await client.Eth.BlockNumberAsync(cancellationToken) - receipt.BlockNumber + 1 >= depth;
    }
}
