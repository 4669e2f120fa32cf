using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Hosting;
using DepinMarket.Api.Tests.Infrastructure;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Tests.Live;
using Npgsql;
using static DepinMarket.Api.Tests.Infrastructure.DepositScenario;
using static DepinMarket.Api.Tests.Infrastructure.ManualMiningApi;
using Token = DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using Vault = DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Relayed deposits whose outcome the request could not know, settled by the background sweep alone: the tests never
/// list the relays through the API (which would settle them itself) but read them from the database. The API reaches
/// its node through a <see cref="NodeRelay"/>, so a test can lose a broadcast on the way, cut its answer or hold it,
/// and anvil can drop a pending transaction (anvil_dropTransaction), as a node's pool does.
/// </summary>
public sealed class RelayInDoubtTests(RelayInDoubtTests.Relaying api) : IClassFixture<RelayInDoubtTests.Relaying>
{
    public sealed class Relaying : ManualMiningApi
    {
        protected override bool Relayed => true;

        protected override TimeSpan ResolveInterval => TimeSpan.FromMilliseconds(200);

        // The sweep says at Debug how many relays each tick looked up; a test counts those ticks.
        protected override IReadOnlyDictionary<string, string?> AppConfiguration => new Dictionary<string, string?>
        {
            ["Logging:LogLevel:DepinMarket.Api.Features.Deposits.DepositRelaySweep"] = "Debug",
            ["Serilog:MinimumLevel:Override:DepinMarket.Api.Features.Deposits.DepositRelaySweep"] = "Debug",
        };
    }

    private const string Broadcast = "eth_sendRawTransaction";

    [Fact]
    public async Task A_relay_whose_broadcast_reached_the_node_but_not_its_answer_is_recorded_mined_without_being_sent_again()
    {
        var (http, key) = await api.FundedWalletAsync(100);
        JsonObject relay;
        using (var cut = api.Relay.Intercept(Broadcast, NodeFault.Unanswered))
        {
            relay = await http.RelayAcceptedAsync(key, "40");
            Assert.Equal("in_doubt", relay["status"]!.GetValue<string>());
            Assert.True(cut.Met >= 1);
        }
        var hash = relay["transactionHash"]!.GetValue<string>();
        // The node got it (anvil mines at once): it is on the chain although the API never heard back.
        Assert.NotNull(await Node.GetTransactionReceiptAsync(hash));

        using var count = await CountBroadcastsOfAsync(hash);
        await UntilAsync(async () => await StatusAsync(hash) == "mined", "the sweep recording the relay mined");
        Assert.Equal(0, count.Met);
        Assert.Equal(60 * Dpin, await api.BalanceOfAsync(key.GetPublicAddress()));
        Assert.Contains(api.Logs.Lines, l => l.Contains("settled in the background", StringComparison.Ordinal) && l.Contains(hash, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_relay_stored_but_never_broadcast_is_sent_by_the_sweep_from_the_stored_bytes()
    {
        var (http, key) = await api.FundedWalletAsync(100);
        JsonObject relay;
        using (api.Relay.Intercept(Broadcast, NodeFault.Lost))
        {
            relay = await http.RelayAcceptedAsync(key, "25");
        }
        var hash = relay["transactionHash"]!.GetValue<string>();
        Assert.Equal("in_doubt", relay["status"]!.GetValue<string>());
        Assert.Null(await Node.GetTransactionByHashAsync(hash));

        await UntilAsync(async () => await StatusAsync(hash) == "mined", "the sweep sending the stored relay");
        var receipt = (await Node.GetTransactionReceiptAsync(hash))!;
        Assert.True(receipt.Succeeded());
        Assert.Equal(key.GetEthereumAddress(), Chain.Util.EthereumAddress.Parse(Assert.Single(receipt.DecodeAllEvents<Vault.DepositedEventDTO>()).Event.From));
        Assert.Equal(75 * Dpin, await api.BalanceOfAsync(key.GetPublicAddress()));
    }

    [Fact]
    public async Task A_relay_waiting_in_the_nodes_pool_is_looked_up_by_hash_and_not_sent_again()
    {
        var (http, key) = await api.FundedWalletAsync(100);
        await using (await api.ManualMiningAsync())
        {
            var hash = await RelayAsync(http, SignedRelay(await http.PermitAsync("10"), key, "10"));
            using var count = await CountBroadcastsOfAsync(hash);
            await UntilAsync(async () => await AgeAsync(hash) > InDoubtSweep.MinimumAge, "the relay getting old enough to sweep");
            var looked = SweepsThatLookedUpRelays();
            await UntilAsync(() => Task.FromResult(SweepsThatLookedUpRelays() >= looked + 3), "three sweeps looking the relay up");
            Assert.Equal(0, count.Met);
            Assert.Equal("relayed", await StatusAsync(hash));
            await api.MineAsync();
            await UntilAsync(async () => await StatusAsync(hash) == "mined", "the sweep recording the relay mined");
            Assert.Equal(0, count.Met);
        }
    }

    [Fact]
    public async Task A_dropped_relay_whose_permit_was_front_run_is_sent_again_and_the_vault_deposits_on_the_allowance()
    {
        var (http, key) = await api.FundedWalletAsync(100);
        var permit = await http.PermitAsync("30");
        var signed = SignedRelay(permit, key, "30");
        string hash;
        await using (await HoldTheSweepAsync())
        {
            hash = await RelayDroppedAsync(http, signed);
            // Someone copies the signature into token.permit first: the nonce is spent, the vault holds the allowance.
            Assert.True((await SubmitPermitAsync(key, permit, signed)).Succeeded());
        }

        await UntilAsync(async () => await StatusAsync(hash) == "mined", "the sweep sending the same bytes again");
        Assert.True((await Node.GetTransactionReceiptAsync(hash))!.Succeeded());
        Assert.Equal(70 * Dpin, await api.BalanceOfAsync(key.GetPublicAddress()));
        Assert.Contains(api.Logs.Lines, l => l.Contains(hash, StringComparison.Ordinal) && l.Contains("stored bytes were sent again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dropped_relay_whose_permit_nonce_went_to_another_permit_is_dropped_without_sending_anything()
    {
        var (http, key) = await api.FundedWalletAsync(100);
        string hash;
        await using (await HoldTheSweepAsync())
        {
            hash = await RelayDroppedAsync(http, SignedRelay(await http.PermitAsync("30"), key, "30"));
            // The owner signs the same nonce over to another spender, and that permit is used first.
            var elsewhere = (JsonObject)(await http.PermitAsync("1")).DeepClone();
            elsewhere["typedData"]!["message"]!["spender"] = RandomAddress().ToString();
            Assert.True((await SubmitPermitAsync(key, elsewhere, SignedRelay(elsewhere, key, "1"))).Succeeded());
        }
        using var count = await CountBroadcastsOfAsync(hash);

        await AssertDroppedAsync(hash, key, "was spent without it");
        Assert.Equal(0, count.Met);
    }

    [Fact]
    public async Task A_dropped_relay_whose_permit_expired_is_dropped_and_the_wallet_can_relay_a_new_permit_with_the_same_nonce()
    {
        var (http, key) = await api.FundedWalletAsync(100);
        // A permit the wallet signed to expire in 40 seconds (the API takes any deadline at least 30 seconds away).
        var permit = (JsonObject)(await http.PermitAsync("20")).DeepClone();
        var deadline = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 40;
        permit["deadline"] = deadline;
        permit["typedData"]!["message"]!["deadline"] = deadline.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string hash;
        await using (await HoldTheSweepAsync())
        {
            hash = await RelayDroppedAsync(http, SignedRelay(permit, key, "20"));
            // The chain's clock passes the deadline (the API's does not: the chain's is the one the token checks).
            await api.RpcAsync("evm_increaseTime", 60);
            await api.MineAsync();
        }
        using (var count = await CountBroadcastsOfAsync(hash))
        {
            await AssertDroppedAsync(hash, key, "expired unused");
            Assert.Equal(0, count.Met);
        }

        // The nonce was never used, so the next permit carries it again, and the dropped relay does not hold it.
        var again = await http.PermitAsync("20");
        Assert.Equal(permit["nonce"]!.GetValue<string>(), again["nonce"]!.GetValue<string>());
        var relayed = await http.PostMoneyAsync("/v1/deposits", SignedRelay(again, key, "20"));
        var body = (await relayed.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(relayed.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
        Assert.True((await api.Anvil.Client(account: null).WaitForReceiptAsync(body["transactionHash"]!.GetValue<string>())).Succeeded());
        Assert.Equal(80 * Dpin, await api.BalanceOfAsync(key.GetPublicAddress()));
    }

    [Fact]
    public async Task A_dropped_relay_whose_settler_nonce_another_transaction_took_is_dropped()
    {
        var (http, key) = await api.FundedWalletAsync(100);
        string hash;
        await using (await HoldTheSweepAsync())
        {
            hash = await RelayDroppedAsync(http, SignedRelay(await http.PermitAsync("15"), key, "15"));
            // The settler's next transaction takes the dropped relay's nonce (the node's pending count no longer has it).
            await MarketContracts.MintAsync(api.Anvil.Client(api.Settler), api.Contracts.Token, RandomAddress(), Dpin, CancellationToken.None);
        }

        await AssertDroppedAsync(hash, key, "took its nonce");
    }

    [Fact]
    public async Task A_relay_is_committed_before_its_broadcast_although_its_Idempotency_Key_commits_only_with_the_answer()
    {
        var (http, key) = await api.FundedWalletAsync(100);
        var idempotencyKey = Guid.NewGuid().ToString();
        Task<HttpResponseMessage> request;
        using (var hold = api.Relay.Intercept(Broadcast, NodeFault.Held))
        {
            request = http.PostMoneyAsync("/v1/deposits", SignedRelay(await http.PermitAsync("5"), key, "5"), idempotencyKey);
            await UntilAsync(() => Task.FromResult(hold.Met >= 1), "the broadcast reaching the node");

            // While the transaction is on its way to the node, the relay is in the database for everyone to see.
            Assert.Equal("in_doubt", (string?)await ScalarAsync("select status from deposit_relays where owner_address = @p", key.GetEthereumAddress().ToString()));
            Assert.Equal(0L, (long)(await ScalarAsync("select count(*) from idempotency_keys where key = @p", idempotencyKey))!);
        }
        var response = await request;
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        Assert.Equal(1L, (long)(await ScalarAsync("select count(*) from idempotency_keys where key = @p", idempotencyKey))!);
    }

    private IEthApi Node => api.Anvil.Client(account: null).Eth;

    /// <summary>The sweep drops the relay, saying why: the chain has no trace of it and the wallet still holds its 100 DPIN.</summary>
    private async Task AssertDroppedAsync(string hash, EthECKey owner, string reason)
    {
        await UntilAsync(async () => await StatusAsync(hash) == "dropped", "the sweep dropping the relay");
        Assert.Null(await Node.GetTransactionByHashAsync(hash));
        Assert.Null(await Node.GetTransactionReceiptAsync(hash));
        Assert.Equal(100 * Dpin, await api.BalanceOfAsync(owner.GetPublicAddress()));
        Assert.Contains(api.Logs.Lines, l => l.Contains(hash, StringComparison.Ordinal) && l.Contains(reason, StringComparison.Ordinal));
    }

    /// <summary>Counts the requests to the node that carry this relay's signed bytes (the tail of the signature is unique to them).</summary>
    private async Task<NodeRelay.Interception> CountBroadcastsOfAsync(string hash)
    {
        var signed = (string)(await ScalarAsync("select signed_transaction from deposit_relays where transaction_hash = @p", hash))!;
        return api.Relay.Intercept(signed[^60..], NodeFault.None);
    }

    /// <summary>
    /// Keeps this instance's sweep off while a test sets a relay up (it is then in no state the sweep should act on),
    /// as another instance sweeping would: the sweep's lock taken here, released when disposed.
    /// </summary>
    private async Task<IAsyncDisposable> HoldTheSweepAsync()
    {
        var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        // Waits while a tick of the sweep holds it.
        var held = await AdvisoryLock.TakeAsync(dataSource, Features.Deposits.DepositRelaySweep.SweepLock, CancellationToken.None);
        return new Undo(async () =>
        {
            await held.DisposeAsync();
            await dataSource.DisposeAsync();
        });
    }

    /// <summary>Relays while mining is off, then the node forgets the pending transaction (as a pool that evicts it, or a node that restarts). Returns its hash.</summary>
    private async Task<string> RelayDroppedAsync(HttpClient http, SignedRelayRequest signed)
    {
        await using (await api.ManualMiningAsync())
        {
            var hash = await RelayAsync(http, signed);
            await api.RpcAsync("anvil_dropTransaction", hash);
            Assert.Equal(JsonValueKind.Null, (await api.RpcAsync("eth_getTransactionByHash", hash)).ValueKind);
            return hash;
        }
    }

    /// <summary>Relays and expects the node to have taken it. Returns its hash.</summary>
    private static async Task<string> RelayAsync(HttpClient http, SignedRelayRequest signed)
    {
        var response = await http.PostMoneyAsync("/v1/deposits", signed);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
        Assert.Equal("relayed", body["status"]!.GetValue<string>());
        return body["transactionHash"]!.GetValue<string>();
    }

    /// <summary>A stranger (anvil account 5) submits the owner's signed permit to token.permit itself.</summary>
    private Task<TransactionReceipt> SubmitPermitAsync(EthECKey owner, JsonObject permit, SignedRelayRequest signed)
    {
        var signature = EthECDSASignature.FromHex(signed.Signature);
        var message = permit["typedData"]!["message"]!;
        return api.Anvil.Client(5).GetContractHandler(api.Contracts.Token).SendRequestAndWaitForReceiptAsync(new Token.PermitFunction
        {
            Owner = owner.GetPublicAddress(),
            Spender = message["spender"]!.GetValue<string>(),
            Value = BigInteger.Parse(message["value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            Deadline = signed.Deadline,
            V = signature.V, R = signature.R, S = signature.S,
        });
    }

    private static Chain.Util.EthereumAddress RandomAddress() => new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));

    private int SweepsThatLookedUpRelays() => api.Logs.Lines.Count(l =>
        l.Contains("Deposit relay sweep", StringComparison.Ordinal) && l.Contains("looked up", StringComparison.Ordinal) && !l.Contains("looked up 0 ", StringComparison.Ordinal));

    private async Task<string?> StatusAsync(string hash) => (string?)await ScalarAsync("select status from deposit_relays where transaction_hash = @p", hash);

    private async Task<TimeSpan> AgeAsync(string hash) => (TimeSpan)(await ScalarAsync("select now() - created_at from deposit_relays where transaction_hash = @p", hash))!;

    /// <summary>Read straight from the database: asking the API (GET /v1/deposits/relays) would itself settle the relay.</summary>
    private async Task<object?> ScalarAsync(string sql, string parameter)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("p", parameter);
        return await command.ExecuteScalarAsync();
    }
}
