using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Tests;

/// <summary>
/// The site a sign-in message names, which a wallet shows the user: the address the API really serves on unless
/// SignIn:Uri says otherwise, and a configuration naming two different sites stops the API from starting.
/// </summary>
public sealed class SignInSiteTests(MarketApi api) : IClassFixture<MarketApi>
{
    private const string Wallet = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    [Fact]
    public async Task A_challenge_names_the_random_port_the_test_host_serves_on()
    {
        var served = ServedAddress(api);
        Assert.NotEqual(5080, served.Port);

        var lines = await ChallengeLinesAsync(api.Client());

        Assert.Equal($"127.0.0.1:{served.Port} wants you to sign in with your Ethereum account:", lines[0]);
        Assert.Contains($"URI: http://127.0.0.1:{served.Port}/", lines);
    }

    [Fact]
    public async Task A_host_header_does_not_change_the_site_when_the_server_listens_on_a_named_address()
    {
        var served = ServedAddress(api);
        using var http = api.Client();
        http.DefaultRequestHeaders.Host = "phishing.example";

        var lines = await ChallengeLinesAsync(http);

        Assert.Equal($"127.0.0.1:{served.Port} wants you to sign in with your Ethereum account:", lines[0]);
    }

    [Fact]
    public async Task On_a_wildcard_address_the_challenge_names_the_host_the_request_came_in_by()
    {
        // The Docker image listens on 0.0.0.0:8080, which names no site a user could visit.
        await using var host = await HostWith.StartAsync(new() { ["urls"] = "http://0.0.0.0:0" });
        var served = ServedAddress(host);
        Assert.Equal("0.0.0.0", served.Host);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{served.Port}") };
        http.DefaultRequestHeaders.Host = $"localhost:{served.Port}";

        var lines = await ChallengeLinesAsync(http);

        Assert.Equal($"localhost:{served.Port} wants you to sign in with your Ethereum account:", lines[0]);
        Assert.Contains($"URI: http://localhost:{served.Port}/", lines);
        Assert.Contains(host.Logs.Lines, l => l.Contains("set SignIn:Uri", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_configured_site_wins_over_the_served_address()
    {
        await using var host = await HostWith.StartAsync(new()
        {
            ["SignIn:Domain"] = "market.example.org",
            ["SignIn:Uri"] = "https://market.example.org/signin",
        });

        var lines = await ChallengeLinesAsync(host.Client());

        Assert.Equal("market.example.org wants you to sign in with your Ethereum account:", lines[0]);
        Assert.Contains("URI: https://market.example.org/signin", lines);
    }

    [Fact]
    public async Task A_configured_uri_alone_also_names_the_domain()
    {
        await using var host = await HostWith.StartAsync(new() { ["SignIn:Uri"] = "https://market.example.org:8443" });

        var lines = await ChallengeLinesAsync(host.Client());

        Assert.Equal("market.example.org:8443 wants you to sign in with your Ethereum account:", lines[0]);
        Assert.Contains("URI: https://market.example.org:8443/", lines);
    }

    [Fact]
    public async Task A_domain_that_is_not_the_uris_authority_fails_start_up_with_the_reason()
    {
        var invalid = await StartFailure.OfAsync(() => new HostWith(new()
        {
            ["SignIn:Domain"] = "127.0.0.1:5080",
            ["SignIn:Uri"] = "https://market.example.org",
        }));

        Assert.Contains("SignIn:Domain (127.0.0.1:5080) is not the authority of SignIn:Uri (https://market.example.org)", invalid.Message);
    }

    [Fact]
    public async Task A_uri_that_is_not_http_fails_start_up()
    {
        var invalid = await StartFailure.OfAsync(() => new HostWith(new() { ["SignIn:Uri"] = "market.example.org" }));

        Assert.Contains("SignIn:Uri must be an absolute http or https URI", invalid.Message);
    }


    private static Uri ServedAddress(MarketApi host) =>
        new(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    private static async Task<string[]> ChallengeLinesAsync(HttpClient http)
    {
        var response = await http.PostAsJsonAsync("/v1/auth/challenge", new { address = Wallet });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body?.ToJsonString());
        return body!["message"]!.GetValue<string>().Split('\n');
    }

    /// <summary>An API of its own with extra settings, for one test; disposed with it.</summary>
    private sealed class HostWith(Dictionary<string, string> settings) : MarketApi, IAsyncDisposable
    {
        protected override IReadOnlyDictionary<string, string> Settings => settings;

        public static async Task<HostWith> StartAsync(Dictionary<string, string> settings)
        {
            var host = new HostWith(settings);
            try
            {
                await host.InitializeAsync();
                return host;
            }
            catch
            {
                // The start failure is the answer; a factory whose server never started may fail to dispose too
                // (seen once under load as an ObjectDisposedException), and must not hide it.
                try
                {
                    await host.DisposeAsync();
                }
                catch (ObjectDisposedException)
                {
                }
                throw;
            }
        }

        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }
}
