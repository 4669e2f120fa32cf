using System.Net;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>
/// `seed-demo --keys-file`: the demo keys are kept in an owner-only file and shown again by every later run, or,
/// when that file is gone, replaced by fresh keys that work (and the lost ones stop working).
/// The built binary runs the seed as run.sh runs it; the keys are tried against the real API on the same database.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed partial class DemoKeysTests(MarketApi api) : IClassFixture<MarketApi>, IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _folder = Directory.CreateTempSubdirectory("depinmarket-demo-keys-").FullName;

    private string KeysFile => Path.Combine(_folder, "demo-keys.txt");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_second_seed_shows_the_same_working_keys_from_an_owner_only_file()
    {
        var first = await SeedAsync();
        var keys = KeysIn(await File.ReadAllTextAsync(KeysFile));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(KeysFile));
        Assert.Equal(keys, KeysIn(first));
        await AssertSignInAsync(keys.Provider, "Demo Provider");
        await AssertSignInAsync(keys.Client, "Demo Client");

        var second = await SeedAsync();
        Assert.Contains("already present", second);
        Assert.Equal(keys, KeysIn(second));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(KeysFile));
        await AssertSignInAsync(keys.Provider, "Demo Provider");
    }

    [Fact]
    public async Task Without_the_file_a_second_seed_issues_fresh_working_keys_and_revokes_the_lost_ones()
    {
        await SeedAsync();
        var lost = KeysIn(await File.ReadAllTextAsync(KeysFile));
        File.Delete(KeysFile);

        var again = await SeedAsync();
        Assert.Contains("issuing fresh demo keys", again);
        var fresh = KeysIn(again);
        Assert.NotEqual(lost.Provider, fresh.Provider);
        Assert.NotEqual(lost.Client, fresh.Client);
        Assert.Equal(fresh, KeysIn(await File.ReadAllTextAsync(KeysFile)));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(KeysFile));
        await AssertSignInAsync(fresh.Provider, "Demo Provider");
        await AssertSignInAsync(fresh.Client, "Demo Client");
        using var lostKey = api.Client(lost.Provider);
        Assert.Equal(HttpStatusCode.Unauthorized, (await lostKey.GetAsync("/v1/accounts/me")).StatusCode);
    }

    private async Task<string> SeedAsync()
    {
        var (exitCode, output) = await ApiCommand.RunAsync(
            new Dictionary<string, string> { ["ConnectionStrings__Market"] = api.ConnectionString },
            "seed-demo", "--keys-file", KeysFile);
        Assert.True(exitCode == 0, $"seed-demo exited with {exitCode}:\n{output}");
        return output;
    }

    private async Task AssertSignInAsync(string key, string displayName)
    {
        using var http = api.Client(key);
        var response = await http.GetAsync("/v1/accounts/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"\"displayName\":\"{displayName}\"", await response.Content.ReadAsStringAsync());
    }

    private static (string Provider, string Client) KeysIn(string text)
    {
        var provider = ProviderKey().Match(text);
        var client = ClientKey().Match(text);
        Assert.True(provider.Success && client.Success, $"no demo keys in:\n{text}");
        return (provider.Groups[1].Value, client.Groups[1].Value);
    }

    [GeneratedRegex(@"Demo provider API key: +(dpm_[0-9a-f]{16}_[A-Za-z0-9_-]+)")]
    private static partial Regex ProviderKey();

    [GeneratedRegex(@"Demo client API key: +(dpm_[0-9a-f]{16}_[A-Za-z0-9_-]+)")]
    private static partial Regex ClientKey();
}
