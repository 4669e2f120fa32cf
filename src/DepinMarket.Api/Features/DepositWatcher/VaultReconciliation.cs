using System.Numerics;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Hosting;
using DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using DepinMarket.Chain.Rpc;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Npgsql;

namespace DepinMarket.Api.Features.DepositWatcher;

/// <summary>
/// The vault's tokens on chain against the ledger, at the last block the watcher finished (so deposits still
/// confirming above it are in neither): token.balanceOf(vault) must equal what the ledger holds (minus the chain
/// account's balance: every credited deposit less every confirmed payout and burn) plus the deposits seen up to that
/// block but not yet credited, plus the payouts and burns confirmed in later blocks. Any difference is reported to
/// the base unit.
/// </summary>
internal sealed class VaultReconciliation(MarketChain chain) : ILedgerCheckExtension
{
    public string Name => LedgerCheck.VaultCheckName;

    public async Task<IReadOnlyList<string>> DifferencesAsync(NpgsqlConnection connection, NpgsqlTransaction snapshot, CancellationToken cancellationToken)
    {
        if (chain.Client is not { } client || chain.Token is not { } token || chain.Vault is not { } vault)
        {
            return [];
        }
        await using var command = new NpgsqlCommand($"""
            select (select last_block from deposit_scan where id = 1),
                   -(select balance from ledger_accounts where id = {PlatformLedgerAccounts.Chain}),
                   (select coalesce(sum(amount), 0) from deposits
                     where status = 'pending' and block_number <= coalesce((select last_block from deposit_scan where id = 1), -1))
                   -- Payouts and burns the ledger already moved out, mined above that block: the vault still held them there.
                   + (select coalesce(sum(total), 0) from settlement_batches
                     where status = 'confirmed' and block_number > coalesce((select last_block from deposit_scan where id = 1), -1))
            """, connection, snapshot);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.IsDBNull(0))
        {
            return [];  // the watcher has not finished a block yet: there is nothing of the vault's in the ledger to compare
        }
        var block = reader.GetInt64(0);
        var held = reader.GetFieldValue<BigInteger>(1);
        var uncredited = reader.GetFieldValue<BigInteger>(2);
        BigInteger onChain;
        try
        {
            onChain = await client.GetContractHandler(token).QueryAsync<BalanceOfFunction, BigInteger>(
                new BalanceOfFunction { Account = vault.ToString() }, BlockParameter.FromNumber(block), cancellationToken);
        }
        catch (RpcException ex)
        {
            return [$"the vault's balance at block {block} could not be read from the node ({ex.Message}); not reconciled"];
        }
        var expected = held + uncredited;
        return onChain == expected
            ? []
            : [$"at block {block} the vault holds {new TokenDelta(onChain)} tokens on chain ({onChain} base units); the ledger accounts for " +
               $"{new TokenDelta(expected)} ({held} credited + {uncredited} seen, not yet credited): difference {new TokenDelta(onChain - expected)} ({onChain - expected} base units)"];
    }
}
