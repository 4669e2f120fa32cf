using System.Net;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>An API with every framework logger at Information: the noisiest set-up an operator could choose.</summary>
public sealed class VerboseLoggingApi : MarketApi
{
    protected override IReadOnlyDictionary<string, string?> AppConfiguration => new Dictionary<string, string?>
    {
        ["Serilog:MinimumLevel:Default"] = "Debug",
        ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Debug",
        ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Information",
    };
}

/// <summary>Clients paste keys into URLs; no log line and no response may repeat them.</summary>
public sealed class SecretsInUrlsTests(VerboseLoggingApi api) : IClassFixture<VerboseLoggingApi>
{
    [Fact]
    public async Task A_key_sent_in_the_query_string_or_the_path_never_reaches_the_logs_or_the_answer()
    {
        var account = await api.SignUpAsync("client");
        var secret = account.Key[(account.Key.LastIndexOf('_') + 1)..];

        var inQuery = await api.Client().GetAsync($"/v1/offers/compute?api_key={account.Key}");
        var inPath = await api.Client().GetAsync($"/v1/{account.Key}");
        var asFilterName = await account.Http.GetAsync($"/v1/offers/compute?{account.Key}=1");
        var asSortValue = await account.Http.GetAsync($"/v1/offers/compute?sort={account.Key}");
        var shapedNoKey = await api.Client().GetAsync($"/v1/offers/compute?token=hunter2-not-a-key-shape");

        foreach (var response in new[] { inQuery, inPath, asFilterName, asSortValue, shapedNoKey })
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(secret, body);
            Assert.DoesNotContain("hunter2", body);
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {body}");
        }
        Assert.Equal(HttpStatusCode.NotFound, inPath.StatusCode);

        var lines = api.Logs.Lines;
        Assert.Contains(lines, l => l.Contains("[redacted]", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("hunter2", StringComparison.Ordinal));
    }
}
