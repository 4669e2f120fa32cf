using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// The real API on Kestrel (a loopback port, real HTTP, the whole middleware pipeline) against its own
/// freshly cloned PostgreSQL database. One per test class.
/// </summary>
public class MarketApi : IAsyncLifetime
{
    public const string OperatorKey = "operator-test-key-not-a-secret";

    private WebApplicationFactory<Program>? _factory;

    public CapturedLogs Logs { get; } = new();

    public string ConnectionString { get; private set; } = "";

    /// <summary>Rate-limit settings; classes that test limiting use a small bucket.</summary>
    protected virtual int RateLimitTokens => 1_000_000;

    /// <summary>Extra configuration for a test class (e.g. a short sign-in lifetime, a chain).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>
    /// Configuration for sections read only once the host is built (Serilog's levels). The test host passes
    /// <see cref="Settings"/> as command-line arguments, which turns every parent section into an empty value
    /// ("--Serilog:MinimumLevel=") that Serilog then refuses as a level; these go in as a configuration source instead.
    /// </summary>
    protected virtual IReadOnlyDictionary<string, string?> AppConfiguration => new Dictionary<string, string?>();

    /// <summary>The database the API runs on: a fresh clone of the migrated template unless a class needs another.</summary>
    protected virtual Task<string> CreateDatabaseAsync() => PostgresServer.CreateDatabaseAsync();

    /// <summary>Extra services for a test class (e.g. a test-only endpoint through an IStartupFilter).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual async Task InitializeAsync() => await StartAsync(await CreateDatabaseAsync());

    /// <summary>Starts the API against <paramref name="connectionString"/> (a fresh test database, or anything a test needs).</summary>
    protected Task StartAsync(string connectionString)
    {
        ConnectionString = connectionString;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            // A free loopback port per test class, so classes run in parallel.
            web.UseUrls("http://127.0.0.1:0");
            web.UseSetting("ConnectionStrings:Market", ConnectionString);
            web.UseSetting("Admin:ApiKey", OperatorKey);
            web.UseSetting("RateLimiting:TokenLimit", RateLimitTokens.ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("RateLimiting:TokensPerPeriod", "1");
            web.UseSetting("RateLimiting:ReplenishmentPeriodSeconds", "60");
            web.UseSetting("RateLimiting:SignUpsPerHour", "1000000");
            // Settlement pays out on chain in the background; only the classes that test it turn it on (or drive it).
            web.UseSetting("Settlement:Enabled", "false");
            // Listing offers needs stake behind them; only the classes that test stakes set minimums (most tests list offers freely).
            web.UseSetting("Stakes:PerGpu", "0");
            web.UseSetting("Stakes:PerStorageTb", "0");
            web.UseSetting("Stakes:PerModelOffer", "0");
            foreach (var (key, value) in Settings)
            {
                web.UseSetting(key, value);
            }
            web.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(AppConfiguration));
            web.ConfigureServices(services =>
            {
                services.AddSingleton<ILogEventSink>(Logs);
                ConfigureServices(services);
            });
        });
        _factory.UseKestrel();
        _factory.StartServer();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    /// <summary>Stops the API and starts it again on the same database, as a deployment does.</summary>
    public async Task RestartAsync()
    {
        await _factory!.DisposeAsync();
        await StartAsync(ConnectionString);
    }

    public IServiceProvider Services => _factory!.Services;

    /// <summary>An HTTP client for the running server, authenticated with <paramref name="apiKey"/> when given.</summary>
    public HttpClient Client(string? apiKey = null)
    {
        var client = _factory!.CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return client;
    }
}
