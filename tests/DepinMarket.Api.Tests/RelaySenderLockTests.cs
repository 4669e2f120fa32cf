using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using DepinMarket.Api.Hosting;
using DepinMarket.Api.Tests.Infrastructure;
using Npgsql;
using static DepinMarket.Api.Tests.Infrastructure.DepositScenario;
using static DepinMarket.Api.Tests.Infrastructure.ManualMiningApi;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Two API instances on one database and one chain, as behind a load balancer, with the same settler key: the
/// settler's sender lock (a PostgreSQL advisory lock) is all that keeps them from signing with the same nonce, which
/// both take from the node's pending count (ADR 0006).
/// </summary>
public sealed class RelaySenderLockTests(RelayInDoubtTests.Relaying api) : IClassFixture<RelayInDoubtTests.Relaying>
{
    [Fact]
    public async Task Relays_arriving_at_two_instances_at_once_both_succeed_with_distinct_settler_nonces()
    {
        var second = api.SecondInstance();
        await second.InitializeAsync();
        try
        {
            var (atFirst, firstKey) = await api.FundedWalletAsync(100);
            var (atSecond, secondKey) = await api.FundedWalletAsync(100, second);
            var firstRelay = SignedRelay(await atFirst.PermitAsync("10"), firstKey, "10");
            var secondRelay = SignedRelay(await atSecond.PermitAsync("20"), secondKey, "20");
            var nonceBefore = await api.SettlerNonceAsync();

            Task<HttpResponseMessage> first, secondAnswer;
            using (var hold = api.Relay.Intercept("eth_sendRawTransaction", NodeFault.Held))
            {
                first = atFirst.PostMoneyAsync("/v1/deposits", firstRelay);
                secondAnswer = atSecond.PostMoneyAsync("/v1/deposits", secondRelay);
                // Held at the node, one broadcast keeps its sender waiting: either the other one waits for the sender
                // lock, or (without the lock) it has signed too and is held beside it.
                await UntilAsync(async () => hold.Met >= 2 || (hold.Met == 1 && await WaitingForTheSenderLockAsync() == 1),
                    "one relay at the node and the other at the sender lock (or at the node too)");
            }

            var hashes = new List<string>();
            foreach (var response in new[] { await first, await secondAnswer })
            {
                var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
                Assert.Equal("relayed", body["status"]!.GetValue<string>());
                hashes.Add(body["transactionHash"]!.GetValue<string>());
            }
            var chain = api.Anvil.Client(account: null);
            var nonces = new List<BigInteger>();
            foreach (var hash in hashes)
            {
                Assert.True((await chain.WaitForReceiptAsync(hash)).Succeeded());
                nonces.Add((await chain.Eth.GetTransactionByHashAsync(hash))!.Nonce);
            }
            Assert.NotEqual(nonces[0], nonces[1]);
            Assert.Equal(nonceBefore + 2, await api.SettlerNonceAsync());
            Assert.Equal(90 * Dpin, await api.BalanceOfAsync(firstKey.GetPublicAddress()));
            Assert.Equal(80 * Dpin, await api.BalanceOfAsync(secondKey.GetPublicAddress()));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    /// <summary>Sessions of this database waiting for the settler's sender lock (a bigint advisory lock: its two halves, objsubid 1).</summary>
    private async Task<long> WaitingForTheSenderLockAsync()
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select count(*) from pg_locks l join pg_database d on d.oid = l.database
            where l.locktype = 'advisory' and not l.granted and d.datname = current_database()
              and l.classid::int8 = @high and l.objid::int8 = @low and l.objsubid = 1
            """, connection);
        command.Parameters.AddWithValue("high", SettlerTransactions.SenderLock >> 32);
        command.Parameters.AddWithValue("low", SettlerTransactions.SenderLock & 0xffffffffL);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
