using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Tests.Infrastructure;
using Npgsql;

namespace DepinMarket.Api.Tests;

/// <summary>
/// Validated keys are cached in memory on each instance; revocations reach every instance through LISTEN/NOTIFY,
/// and an instance whose listener is disconnected does not use its cache. Two real instances, one database,
/// caches that keep keys for an hour.
/// </summary>
public sealed class ApiKeyCacheTests(TwoMarketApis apis) : IClassFixture<TwoMarketApis>
{
    private const string Me = "/v1/accounts/me";

    [Fact]
    public async Task A_key_revoked_through_one_instance_is_refused_by_another_that_had_it_cached()
    {
        await BothServingAsync();
        var account = await apis.A.SignUpAsync();
        var (keyId, _, onB) = await KeyCachedOnBAsync(account);

        await RevokeThroughAAsync(account, keyId);

        await AssertRefusedWithinSecondsAsync(onB, "instance B still accepts a key that instance A revoked");
    }

    [Fact]
    public async Task The_cache_answers_so_a_revocation_made_in_SQL_without_a_notification_shows_only_where_the_key_was_not_cached()
    {
        await BothServingAsync();
        var account = await apis.A.SignUpAsync();
        var (keyId, key, onB) = await KeyCachedOnBAsync(account);

        // Behind the API's back: no pg_notify. The time-to-live (an hour here) is all that bounds this staleness.
        await using (var connection = await OpenDatabaseAsync())
        {
            await RevokeInSqlAsync(connection, keyId);
        }

        var problem = await (await apis.A.Client(key).GetAsync(Me)).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem["detail"]!.GetValue<string>());
        var hits = apis.B.KeyCache().Hits;
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync(Me)).StatusCode);
        Assert.Equal(hits + 1, apis.B.KeyCache().Hits);
    }

    [Fact]
    public async Task While_the_listener_is_disconnected_the_cache_is_not_used_and_the_listener_then_reconnects()
    {
        await BothServingAsync();
        var account = await apis.A.SignUpAsync();
        var (firstId, _, firstOnB) = await KeyCachedOnBAsync(account);
        var (secondId, second) = await IssueKeyAsync(account);
        var secondOnB = apis.B.Client(second);
        var cache = apis.B.KeyCache();

        // Opened now: once the database refuses new connections, only open ones still work (the instances' pools
        // keep theirs). ALTER DATABASE must run from another database.
        await using var db = await OpenDatabaseAsync();
        await using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(apis.A.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await server.OpenAsync();
        var database = new NpgsqlConnectionStringBuilder(apis.A.ConnectionString).Database!;
        try
        {
            // No new connections to the database, so the listeners cannot come back; then cut them off.
            await ExecuteAsync(server, $"alter database \"{database}\" allow_connections false");
            await ExecuteAsync(server, "select pg_terminate_backend(pid) from pg_stat_activity where datname = @db and application_name = @name",
                ("db", database), ("name", ApiKeyChangeListener.ApplicationName));
            Assert.True(await EventuallyAsync(() => Task.FromResult(!cache.IsServing)), "B did not notice that its listener was cut off");

            // Revoked without a notification, while B is deaf: only a cache that is not used now explains a refusal.
            await RevokeInSqlAsync(db, firstId);
            var problem = await (await firstOnB.GetAsync(Me)).ProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Contains("revoked", problem["detail"]!.GetValue<string>());

            // Nor does a deaf B keep keys: a valid key asks the database every time.
            var hits = cache.Hits;
            Assert.Equal(HttpStatusCode.OK, (await secondOnB.GetAsync(Me)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await secondOnB.GetAsync(Me)).StatusCode);
            Assert.Equal(hits, cache.Hits);
            Assert.False(cache.IsServing, "the listener came back while the database refused connections: the checks above proved nothing");
        }
        finally
        {
            await ExecuteAsync(server, $"alter database \"{database}\" allow_connections true");
        }

        await BothServingAsync(TimeSpan.FromSeconds(60));
        // Listening again, end to end: cached on B, revoked through A, refused by B.
        await AssertCachedOnBAsync(secondOnB);
        await RevokeThroughAAsync(account, secondId);
        await AssertRefusedWithinSecondsAsync(secondOnB, "after reconnecting, B does not hear revocations");
    }

    /// <summary>A second key for the account, issued through instance A (issuing does not cache it anywhere).</summary>
    private static async Task<(Guid Id, string Key)> IssueKeyAsync(TestAccount account)
    {
        var response = await account.Http.PostAsJsonAsync("/v1/accounts/me/api-keys", new { name = "script" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["id"]!.GetValue<Guid>(), body["key"]!.GetValue<string>());
    }

    /// <summary>A further key, issued through A, then cached on B.</summary>
    private async Task<(Guid Id, string Key, HttpClient OnB)> KeyCachedOnBAsync(TestAccount account)
    {
        var (id, key) = await IssueKeyAsync(account);
        var onB = apis.B.Client(key);
        await AssertCachedOnBAsync(onB);
        return (id, key, onB);
    }

    private static async Task RevokeThroughAAsync(TestAccount account, Guid keyId) =>
        Assert.Equal(HttpStatusCode.NoContent, (await account.Http.DeleteAsync($"/v1/accounts/me/api-keys/{keyId}")).StatusCode);

    /// <summary>Polls for the refusal (up to 10 s: a notification takes milliseconds), then checks it names the revocation.</summary>
    private static async Task AssertRefusedWithinSecondsAsync(HttpClient client, string failure)
    {
        Assert.True(await EventuallyAsync(async () => (await client.GetAsync(Me)).StatusCode == HttpStatusCode.Unauthorized), failure);
        var problem = await (await client.GetAsync(Me)).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem["detail"]!.GetValue<string>());
    }

    /// <summary>The first request on B reads the key from the database; the second is answered from B's cache.</summary>
    private async Task AssertCachedOnBAsync(HttpClient onB)
    {
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync(Me)).StatusCode);
        var hits = apis.B.KeyCache().Hits;
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync(Me)).StatusCode);
        Assert.Equal(hits + 1, apis.B.KeyCache().Hits);
    }

    private async Task BothServingAsync(TimeSpan? limit = null) =>
        Assert.True(await EventuallyAsync(() => Task.FromResult(apis.A.KeyCache().IsServing && apis.B.KeyCache().IsServing), limit),
            "the instances' change listeners did not connect");

    private async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(apis.A.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static Task RevokeInSqlAsync(NpgsqlConnection connection, Guid keyId) =>
        ExecuteAsync(connection, "update api_keys set revoked_at = now() where id = @id", ("id", keyId));

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Polls until the condition holds or the limit (10 s by default) passes; no timing is asserted.</summary>
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }
}
