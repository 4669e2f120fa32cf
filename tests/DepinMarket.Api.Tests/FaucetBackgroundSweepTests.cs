using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Faucet;
using DepinMarket.Api.Hosting;
using DepinMarket.Api.Tests.Infrastructure;
using Npgsql;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Grants left in doubt that nobody asks about are settled by the faucet's background sweep: the tests never call
/// GET or POST /v1/faucet again after the grant and read its status from the database. The API reaches the node
/// through a <see cref="NodeRelay"/>, so a test can take the node away from it while the chain goes on.
/// </summary>
public sealed class FaucetBackgroundSweepTests(FaucetBackgroundSweepTests.Sweeping api) : IClassFixture<FaucetBackgroundSweepTests.Sweeping>
{
    private static readonly BigInteger OneGrant = BigInteger.Parse("250500000000000000000", System.Globalization.CultureInfo.InvariantCulture);

    public sealed class Sweeping : ManualMiningApi
    {
        protected override bool Relayed => true;

        protected override TimeSpan ResolveInterval => TimeSpan.FromMilliseconds(200);

        // The sweep says at Debug when it skips a tick for another instance; the test counts those ticks.
        protected override IReadOnlyDictionary<string, string?> AppConfiguration => new Dictionary<string, string?>
        {
            ["Logging:LogLevel:DepinMarket.Api.Features.Faucet.FaucetInDoubtSweep"] = "Debug",
            ["Serilog:MinimumLevel:Override:DepinMarket.Api.Features.Faucet.FaucetInDoubtSweep"] = "Debug",
        };
    }

    [Fact]
    public async Task A_grant_left_in_doubt_becomes_confirmed_on_its_own_once_its_block_is_mined()
    {
        var (account, key) = await api.VerifiedAccountAsync();
        var before = await api.BalanceOfAsync(key.GetPublicAddress());
        string hash;
        await using (await api.ManualMiningAsync())
        {
            hash = await ManualMiningApi.DrawInDoubtAsync(account);
            await api.MineAsync();
        }

        await ManualMiningApi.UntilAsync(async () => await StatusAsync(hash) == "confirmed", "the sweep confirming the grant");
        Assert.Equal(before + OneGrant, await api.BalanceOfAsync(key.GetPublicAddress()));
        Assert.Contains(api.Logs.Lines, l => l.Contains("settled in the background", StringComparison.Ordinal) && l.Contains(hash, StringComparison.Ordinal));
    }

    [Fact]
    public async Task While_the_node_is_down_the_sweep_logs_and_tries_again_and_settles_the_grant_once_it_is_back()
    {
        var (account, key) = await api.VerifiedAccountAsync();
        var before = await api.BalanceOfAsync(key.GetPublicAddress());
        string hash;
        await using (await api.ManualMiningAsync())
        {
            hash = await ManualMiningApi.DrawInDoubtAsync(account);
            api.Relay.GoDown();
            try
            {
                await api.MineAsync();
                // Mined, but the API cannot see it: every tick asks, logs that the node could not tell, and carries on.
                await ManualMiningApi.UntilAsync(() => Task.FromResult(NodeCouldNotTellLines(hash) >= 2), "two sweeps asking the unreachable node");
                Assert.Equal("in_doubt", await StatusAsync(hash));
            }
            finally
            {
                api.Relay.ComeUp();
            }
        }

        await ManualMiningApi.UntilAsync(async () => await StatusAsync(hash) == "confirmed", "the sweep confirming the grant once the node is back");
        Assert.Equal(before + OneGrant, await api.BalanceOfAsync(key.GetPublicAddress()));
        Assert.Equal(HttpStatusCode.OK, (await api.Client().GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task While_another_instance_holds_the_sweep_this_one_leaves_the_grants_alone()
    {
        var (account, _) = await api.VerifiedAccountAsync();
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        string hash;
        await using (await api.ManualMiningAsync())
        {
            hash = await ManualMiningApi.DrawInDoubtAsync(account);
            await api.MineAsync();
        }
        await using (var otherInstance = await AdvisoryLock.TryTakeAsync(dataSource, FaucetInDoubtSweep.SweepLock, CancellationToken.None))
        {
            Assert.NotNull(otherInstance);
            // Once the grant is old enough to be swept, two skipped ticks show that this instance would have swept it.
            await ManualMiningApi.UntilAsync(async () => await AgeAsync(hash) > InDoubtSweep.MinimumAge, "the grant getting old enough to sweep");
            var skipped = SkippedSweeps();
            await ManualMiningApi.UntilAsync(() => Task.FromResult(SkippedSweeps() >= skipped + 2), "two skipped sweeps");
            Assert.Equal("in_doubt", await StatusAsync(hash));
        }

        await ManualMiningApi.UntilAsync(async () => await StatusAsync(hash) == "confirmed", "the sweep confirming the grant once the lock is free");
    }

    private int NodeCouldNotTellLines(string hash) =>
        api.Logs.Lines.Count(l => l.Contains("the node could not tell", StringComparison.Ordinal) && l.Contains(hash, StringComparison.Ordinal));

    private int SkippedSweeps() => api.Logs.Lines.Count(l => l.Contains("another instance is sweeping", StringComparison.Ordinal));

    private async Task<string?> StatusAsync(string hash) => (string?)await GrantColumnAsync(hash, "status");

    private async Task<TimeSpan> AgeAsync(string hash) => (TimeSpan)(await GrantColumnAsync(hash, "now() - granted_at"))!;

    /// <summary>Read straight from the database: asking the API (GET /v1/faucet) would itself settle the grant.</summary>
    private async Task<object?> GrantColumnAsync(string hash, string column)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select {column} from faucet_grants where transaction_hash = @hash", connection);
        command.Parameters.AddWithValue("hash", hash);
        return await command.ExecuteScalarAsync();
    }
}
