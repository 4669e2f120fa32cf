using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Settlement;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Domain.Money;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Exactly once under faults: a broadcast lost on the way, a broadcast whose answer never came back, a restart after
/// the batch was written and after the broadcast, a transaction the node dropped, one not mined in time and replaced
/// at higher fees. In every case the wallet is paid exactly once and the ledger check is clean.
/// </summary>
public sealed class SettlementFaultTests(SettlementFaultApi api) : IClassFixture<SettlementFaultApi>
{
    private const string Broadcast = "eth_sendRawTransaction";

    [Fact]
    public async Task A_broadcast_lost_on_the_way_leaves_the_batch_stored_in_doubt_and_the_next_pass_sends_the_same_bytes_once()
    {
        var (client, wallet) = await WithdrawingClientAsync("3");
        using (var lost = api.Relay.Intercept(Broadcast, NodeFault.Lost))
        {
            await api.Worker.RunOnceAsync(gather: true, CancellationToken.None);
            Assert.True(lost.Met > 0);
        }
        var stored = await NewestBatchAsync();
        Assert.Equal("stored", stored["status"].Text());
        var attempt = Assert.Single(stored["attempts"]!.AsArray())!;
        Assert.Null(attempt["broadcastAt"]);
        Assert.Equal(0, await api.BalanceOfAsync(wallet));

        await api.SettleAsync();

        var settled = await NewestBatchAsync();
        Assert.Equal("confirmed", settled["status"].Text());
        Assert.Equal(attempt["transactionHash"].Text(), settled["transactionHash"].Text());
        Assert.Single(settled["attempts"]!.AsArray());
        Assert.Equal(TokenAmount.Parse("3").BaseUnits, await api.BalanceOfAsync(wallet));
        Assert.Equal("paid", (await WithdrawalAsync(client))["status"].Text());
        await api.AssertSettledLedgerCleanAsync();
    }

    [Fact]
    public async Task A_broadcast_whose_answer_was_cut_is_found_mined_by_its_hash_and_never_sent_again()
    {
        var (_, wallet) = await WithdrawingClientAsync("4");
        using (api.Relay.Intercept(Broadcast, NodeFault.Unanswered))
        {
            await api.Worker.RunOnceAsync(gather: true, CancellationToken.None);
        }
        Assert.Equal(TokenAmount.Parse("4").BaseUnits, await api.BalanceOfAsync(wallet)); // the node got it and mined it

        using (var resend = api.Relay.Intercept(Broadcast, NodeFault.None))
        {
            await api.SettleAsync();
            Assert.Equal(0, resend.Met);
        }
        Assert.Equal("confirmed", (await NewestBatchAsync())["status"].Text());
        Assert.Equal(TokenAmount.Parse("4").BaseUnits, await api.BalanceOfAsync(wallet));
        await api.AssertSettledLedgerCleanAsync();
    }

    [Fact]
    public async Task A_restart_after_the_batch_was_written_and_another_after_it_was_broadcast_pay_once()
    {
        var (client, wallet) = await WithdrawingClientAsync("5");
        var lease = await api.Services.GetRequiredService<SettlementLease>().TryHoldAsync(CancellationToken.None);
        await api.Services.GetRequiredService<SettlementGather>().GatherAsync(lease!, CancellationToken.None);
        await api.RestartAsync();   // crash 1: written, nothing signed
        await ExpireLeaseAsync();   // the old process's lease would lapse by itself; here at once

        await using (await api.ManualMiningAsync())
        {
            await api.Worker.RunOnceAsync(gather: false, CancellationToken.None);
            Assert.Equal("sent", (await NewestBatchAsync())["status"].Text());
            await api.RestartAsync(); // crash 2: broadcast, not mined, nothing recorded of a receipt
            await ExpireLeaseAsync();
            await api.MineAsync();
        }
        await api.SettleAsync();

        var batch = await NewestBatchAsync();
        Assert.Equal("confirmed", batch["status"].Text());
        Assert.Single(batch["attempts"]!.AsArray());
        Assert.Equal(TokenAmount.Parse("5").BaseUnits, await api.BalanceOfAsync(wallet));
        Assert.Equal("paid", (await WithdrawalAsync(client with { Http = api.Client(client.Key) }))["status"].Text());
        await api.AssertSettledLedgerCleanAsync();
    }

    [Fact]
    public async Task A_transaction_not_mined_in_time_is_sent_again_then_replaced_with_the_same_nonce_at_higher_fees_and_paid_once()
    {
        var (_, wallet) = await WithdrawingClientAsync("6");
        await using (await api.ManualMiningAsync())
        {
            await api.Worker.RunOnceAsync(gather: true, CancellationToken.None);
            // The node forgets it (as a node restarted without its pool would): the stored bytes are sent again.
            var first = (await NewestBatchAsync())["attempts"]![0]!["transactionHash"].Text();
            await api.RpcAsync("anvil_dropTransaction", first);
            await Task.Delay(1100);
            await api.Worker.RunOnceAsync(gather: false, CancellationToken.None);
            var resent = (await NewestBatchAsync())["attempts"]![0]!;
            Assert.Equal(2, resent["broadcasts"]!.GetValue<int>());
            // Still not mined after the wait: replaced.
            await Task.Delay(1100);
            await api.Worker.RunOnceAsync(gather: false, CancellationToken.None);
            var attempts = (await NewestBatchAsync())["attempts"]!.AsArray();
            Assert.Equal(2, attempts.Count);
            Assert.Equal(attempts[0]!["nonce"]!.GetValue<long>(), attempts[1]!["nonce"]!.GetValue<long>());
            foreach (var fee in new[] { "maxFeePerGas", "maxPriorityFeePerGas" })
            {
                var (before, after) = (System.Numerics.BigInteger.Parse(attempts[0]![fee].Text()), System.Numerics.BigInteger.Parse(attempts[1]![fee].Text()));
                Assert.True(after * 8 >= before * 9, $"{fee}: {after} is not 12.5% above {before}");
            }
            await api.MineAsync();
        }
        await api.SettleAsync();

        var batch = await NewestBatchAsync();
        Assert.Equal("confirmed", batch["status"].Text());
        Assert.Equal(batch["attempts"]![1]!["transactionHash"].Text(), batch["transactionHash"].Text());
        Assert.Equal(TokenAmount.Parse("6").BaseUnits, await api.BalanceOfAsync(wallet));
        await api.AssertSettledLedgerCleanAsync();
    }

    [Fact]
    public async Task A_faucet_mint_after_a_stored_but_unsent_payout_takes_the_next_nonce_of_the_shared_sequence_and_both_are_mined()
    {
        var (client, wallet) = await WithdrawingClientAsync("2");
        using (api.Relay.Intercept(Broadcast, NodeFault.Lost))
        {
            await api.Worker.RunOnceAsync(gather: true, CancellationToken.None);
        }
        var payoutNonce = (await NewestBatchAsync())["attempts"]![0]!["nonce"]!.GetValue<long>();
        // The node has not seen the payout: its own count would hand the faucet the payout's nonce.
        Assert.Equal(payoutNonce, (long)await api.Anvil.Client(null).Eth.GetTransactionCountAsync(
            Chain.Tests.Live.AnvilNode.Account(api.Settler).ToString(), Chain.Rpc.BlockParameter.Pending));

        var (faucetUser, _) = await api.VerifiedAccountAsync();
        var draw = await faucetUser.PostAsync("/v1/faucet", null);
        var mintHash = (await draw.Content.ReadFromJsonAsync<JsonObject>())!["transactionHash"].Text();
        Assert.Equal(payoutNonce + 1, (long)(await api.Anvil.Client(null).Eth.GetTransactionByHashAsync(mintHash))!.Nonce);

        // The settlement pass sends the stored payout; the mint that waited behind it is mined too.
        await api.SettleAsync();
        var batch = await NewestBatchAsync();
        Assert.Equal("confirmed", batch["status"].Text());
        Assert.Single(batch["attempts"]!.AsArray());
        Assert.Equal(TokenAmount.Parse("2").BaseUnits, await api.BalanceOfAsync(wallet));
        await ManualMiningApi.UntilAsync(async () =>
            (await faucetUser.GetFromJsonAsync<JsonObject>("/v1/faucet"))!["status"].Text() == "confirmed", "the mint behind the payout confirmed");
        Assert.Equal("paid", (await WithdrawalAsync(client))["status"].Text());
        await api.AssertSettledLedgerCleanAsync();
    }

    [Fact]
    public async Task A_node_that_fails_the_broadcast_or_the_receipt_lookups_delays_the_payout_and_never_doubles_it()
    {
        var (client, wallet) = await WithdrawingClientAsync("7");
        using (var failed = api.Relay.Intercept(Broadcast, NodeFault.Failed))
        {
            await api.Worker.RunOnceAsync(gather: true, CancellationToken.None);
            Assert.True(failed.Met > 0);
        }
        var stored = await NewestBatchAsync();
        Assert.Equal("stored", stored["status"].Text());
        Assert.Contains("internal error", stored["attempts"]![0]!["lastError"].Text());
        Assert.Equal(0, await api.BalanceOfAsync(wallet));
        // While the node fails every receipt lookup, a pass cannot tell what became of the attempt, so it sends nothing.
        using (var failedLookups = api.Relay.Intercept("eth_getTransactionReceipt", NodeFault.Failed))
        {
            await api.Worker.RunOnceAsync(gather: false, CancellationToken.None);
            await api.Worker.RunOnceAsync(gather: false, CancellationToken.None);
            Assert.True(failedLookups.Met > 0);
        }
        Assert.Equal("stored", (await NewestBatchAsync())["status"].Text());
        Assert.Equal(0, await api.BalanceOfAsync(wallet));

        await api.SettleAsync();

        var batch = await NewestBatchAsync();
        Assert.Equal("confirmed", batch["status"].Text());
        Assert.Single(batch["attempts"]!.AsArray());
        Assert.Equal(TokenAmount.Parse("7").BaseUnits, await api.BalanceOfAsync(wallet));
        Assert.Equal("paid", (await WithdrawalAsync(client))["status"].Text());
        await api.AssertSettledLedgerCleanAsync();
    }

    [Fact]
    public async Task Resending_a_mined_transaction_answers_nonce_too_low_not_already_known()
    {
        var (_, wallet) = await WithdrawingClientAsync("1");
        await api.SettleAsync();
        var attempt = (await NewestBatchAsync())["attempts"]![0]!;
        var raw = await RawOfAsync(attempt["transactionHash"].Text());

        var refusal = await Assert.ThrowsAnyAsync<Chain.Rpc.RpcException>(() => api.Anvil.Client(null).Eth.SendRawTransactionAsync(raw));

        Assert.IsType<Chain.Rpc.NonceTooLowException>(refusal);
        Assert.Equal(TokenAmount.Parse("1").BaseUnits, await api.BalanceOfAsync(wallet));
    }

    private async Task<(TestAccount Client, string Wallet)> WithdrawingClientAsync(string tokens)
    {
        var client = await api.VerifiedAccountWithIdAsync();
        await api.FundWithVaultAsync(client.Id, tokens);
        Assert.Equal(HttpStatusCode.Created, (await client.Http.PostMoneyAsync("/v1/withdrawals", new { amount = tokens })).StatusCode);
        return (client, await SettlementApi.WalletOfAsync(client));
    }

    private async Task<JsonObject> NewestBatchAsync() =>
        (await api.BatchesAsync()).Select(b => b!.AsObject()).First(b => b["kind"].Text() == "payout");

    private static async Task<JsonObject> WithdrawalAsync(TestAccount client) =>
        (await client.Http.GetFromJsonAsync<JsonArray>("/v1/withdrawals"))![0]!.AsObject();

    private async Task ExpireLeaseAsync()
    {
        await using var command = api.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("update settlement_lease set expires_at = '-infinity'");
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string> RawOfAsync(string hash)
    {
        await using var command = api.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("select signed_transaction from settlement_attempts where transaction_hash = @h");
        command.Parameters.AddWithValue("h", hash);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>Several instances against one database: one settles at a time, and a worker that lost its lease cannot write.</summary>
public sealed class SettlementLeaseTests(SettlementApi api) : IClassFixture<SettlementApi>
{
    [Fact]
    public async Task Two_instances_settling_at_once_pay_each_withdrawal_exactly_once()
    {
        await using var second = api.SecondInstance();
        await second.InitializeAsync();
        var wallets = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var client = await api.VerifiedAccountWithIdAsync();
            await api.FundWithVaultAsync(client.Id, "2");
            Assert.Equal(HttpStatusCode.Created, (await client.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "2" })).StatusCode);
            wallets.Add(await SettlementApi.WalletOfAsync(client));
        }
        var workers = new[] { api.Worker, second.Services.GetRequiredService<SettlementWorker>() };
        var batchesBefore = (await api.BatchesAsync()).Count;

        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => workers[i % 2].RunOnceAsync(gather: true, CancellationToken.None)));
        await api.SettleAsync();

        Assert.Contains(runs, r => r.Holder);
        Assert.Contains(runs, r => !r.Holder);
        foreach (var wallet in wallets)
        {
            Assert.Equal(TokenAmount.Parse("2").BaseUnits, await api.BalanceOfAsync(wallet));
        }
        var all = await api.BatchesAsync();
        var payouts = all.Take(all.Count - batchesBefore).Where(b => b!["kind"].Text() == "payout").ToArray();
        Assert.All(payouts, b => Assert.Equal("confirmed", b!["status"].Text()));
        Assert.Equal(3, payouts.Sum(b => b!["recipientCount"]!.GetValue<int>()));
        await api.AssertSettledLedgerCleanAsync();
    }

    [Fact]
    public async Task A_worker_paused_past_its_lease_cannot_write_after_another_took_over()
    {
        var lease = api.Services.GetRequiredService<SettlementLease>();
        var paused = await lease.TryHoldAsync(CancellationToken.None);
        Assert.NotNull(paused);
        // The lease runs out while the worker is paused; another instance takes it (a new epoch).
        await using (var expire = api.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("update settlement_lease set expires_at = '-infinity'"))
        {
            await expire.ExecuteNonQueryAsync();
        }
        await using var second = api.SecondInstance();
        await second.InitializeAsync();
        var taken = await second.Services.GetRequiredService<SettlementLease>().TryHoldAsync(CancellationToken.None);
        Assert.Equal(paused!.Epoch + 1, taken!.Epoch);

        // The paused worker wakes up and tries to write a batch: refused, nothing written.
        var client = await api.VerifiedAccountWithIdAsync();
        await api.FundWithVaultAsync(client.Id, "1");
        await client.Http.PostMoneyAsync("/v1/withdrawals", new { amount = "1" });
        await Assert.ThrowsAsync<LeaseLostException>(() => api.Services.GetRequiredService<SettlementGather>().GatherAsync(paused, CancellationToken.None));
        Assert.Equal("requested", (await client.Http.GetFromJsonAsync<JsonArray>("/v1/withdrawals"))![0]!["status"].Text());
        // Its own lease back after the other's lapses: a new epoch again, and the old one stays refused.
        Assert.Null(await lease.TryHoldAsync(CancellationToken.None));
        await using (var expire = api.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("update settlement_lease set expires_at = '-infinity'"))
        {
            await expire.ExecuteNonQueryAsync();
        }
        var again = await lease.TryHoldAsync(CancellationToken.None);
        Assert.Equal(taken.Epoch + 1, again!.Epoch);
        await Assert.ThrowsAsync<LeaseLostException>(() => api.Services.GetRequiredService<SettlementGather>().GatherAsync(paused, CancellationToken.None));
        await api.SettleAsync();
        Assert.Equal("paid", (await client.Http.GetFromJsonAsync<JsonArray>("/v1/withdrawals"))![0]!["status"].Text());
        await api.AssertSettledLedgerCleanAsync();
    }
}
