using System.Net;
using System.Net.Http.Json;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>A class of its own: a small token bucket, so other tests are never throttled.</summary>
public sealed class RateLimitTests(RateLimitTests.TightLimits api) : IClassFixture<RateLimitTests.TightLimits>
{
    public sealed class TightLimits : MarketApi
    {
        protected override int RateLimitTokens => 5;
    }

    [Fact]
    public async Task An_account_over_its_allowance_gets_429_with_Retry_After_and_other_accounts_are_unaffected()
    {
        var noisy = await api.SignUpAsync();
        var quiet = await api.SignUpAsync();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 8; i++)
        {
            var response = await noisy.Http.GetAsync("/v1/accounts/me");
            statuses.Add(response.StatusCode);
            refused ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.NotNull(refused);
        var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("Retry after", problem["detail"]!.GetValue<string>());
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);

        Assert.Equal(HttpStatusCode.OK, (await quiet.Http.GetAsync("/v1/accounts/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client().GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task More_keys_do_not_buy_more_requests_all_keys_of_an_account_share_one_allowance()
    {
        var account = await api.SignUpAsync();
        // Creating the second key spends one request of the five.
        var second = (await (await account.Http.PostAsJsonAsync("/v1/accounts/me/api-keys", new { name = "second" }))
            .Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["key"]!.GetValue<string>();
        var secondHttp = api.Client(second);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await account.Http.GetAsync("/v1/accounts/me")).StatusCode);
            statuses.Add((await secondHttp.GetAsync("/v1/accounts/me")).StatusCode);
        }
        Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }
}

/// <summary>Two sign-ups per address and hour; <paramref name="trustLoopbackProxy"/> believes X-Forwarded-For from loopback.</summary>
public abstract class FewSignUps(bool trustLoopbackProxy) : MarketApi
{
    protected override IReadOnlyDictionary<string, string> Settings => trustLoopbackProxy
        ? new Dictionary<string, string> { ["RateLimiting:SignUpsPerHour"] = "2", ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" }
        : new Dictionary<string, string> { ["RateLimiting:SignUpsPerHour"] = "2" };

    private static int _wallet;

    public async Task<HttpResponseMessage> SignUp(string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/accounts")
        {
            Content = JsonContent.Create(new
            {
                displayName = "sign-up limit",
                roles = new[] { "client" },
                walletAddress = $"0x{Interlocked.Increment(ref _wallet) + 0x51_0000:x40}",
            }),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return await Client().SendAsync(request);
    }
}

public sealed class NoProxy() : FewSignUps(trustLoopbackProxy: false);

public sealed class TrustedLoopbackProxy() : FewSignUps(trustLoopbackProxy: true);

public sealed class SignUpLimitTests(NoProxy api) : IClassFixture<NoProxy>
{
    [Fact]
    public async Task One_address_gets_a_few_sign_ups_an_hour_and_then_a_429_that_says_so()
    {
        Assert.Equal(HttpStatusCode.Created, (await api.SignUp(forwardedFor: null)).StatusCode);
        // Without a configured proxy, X-Forwarded-For is anyone's to forge and is ignored.
        Assert.Equal(HttpStatusCode.Created, (await api.SignUp(forwardedFor: "10.0.0.1")).StatusCode);
        var refused = await api.SignUp(forwardedFor: "10.0.0.2");
        var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("sign-ups", problem["detail"]!.GetValue<string>());
        Assert.True(refused.Headers.Contains("Retry-After"));
    }
}

public sealed class ForwardedSignUpLimitTests(TrustedLoopbackProxy api) : IClassFixture<TrustedLoopbackProxy>
{
    [Fact]
    public async Task Behind_a_configured_proxy_each_forwarded_client_has_its_own_sign_up_allowance()
    {
        Assert.Equal(HttpStatusCode.Created, (await api.SignUp("10.0.0.1")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.SignUp("10.0.0.1")).StatusCode);
        await (await api.SignUp("10.0.0.1")).ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.Created, (await api.SignUp("10.0.0.2")).StatusCode);
    }
}
