using DepinMarket.Api.Auth;
using DepinMarket.Api.Features.Accounts;
using DepinMarket.Chain.Util;
using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Offers;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Data;

/// <summary>
/// `seed-demo [--keys-file PATH]`: demo data for a first look in Swagger UI, one provider with offers of each
/// kind and one client. Their API keys are for this local demo database only; they are printed and, with
/// --keys-file, kept in that file (owner-only) so that every later run prints them again. Seeding twice adds
/// nothing; when the keys cannot be shown again (no file, or its keys no longer work), the demo accounts get
/// fresh keys and their earlier demo keys are revoked, so no key the developer cannot see stays valid.
/// </summary>
internal static class DemoData
{
    private const string ProviderName = "Demo Provider";
    private const string ClientName = "Demo Client";
    private const string KeyName = "demo key";
    // Anvil's first two well-known test accounts: public test addresses, never funded on a real network.
    private static readonly string ProviderWallet = EthereumAddress.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266").ToString();
    private static readonly string ClientWallet = EthereumAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").ToString();

    /// <summary>The value after --keys-file, or null when it is not given.</summary>
    public static string? KeysFileArgument(string[] args)
    {
        var at = Array.IndexOf(args, "--keys-file");
        if (at < 0)
        {
            return null;
        }
        return at + 1 < args.Length && !args[at + 1].StartsWith("--", StringComparison.Ordinal)
            ? Path.GetFullPath(args[at + 1])
            : throw new InvalidOperationException("seed-demo --keys-file needs a path: where to keep the demo API keys.");
    }

    public static async Task SeedAsync(IServiceProvider services, string? keysFile, CancellationToken cancellationToken)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        var now = DateTimeOffset.UtcNow;
        var provider = await FindAsync(db, ProviderName, ProviderWallet, cancellationToken);
        var client = await FindAsync(db, ClientName, ClientWallet, cancellationToken);
        if (provider is not null && client is not null && keysFile is not null && DemoKeysFile.Read(keysFile) is var (providerKey, clientKey) &&
            await WorksForAsync(db, providerKey, provider.Id, cancellationToken) && await WorksForAsync(db, clientKey, client.Id, cancellationToken))
        {
            Console.WriteLine($"Demo data already present; its API keys, kept in {keysFile}:");
            Console.Write(DemoKeysFile.Lines(providerKey, clientKey));
            return;
        }

        if (provider is null || client is null)
        {
            Console.WriteLine("Seeding demo data: a provider with offers of each kind and a client.");
        }
        else
        {
            Console.WriteLine(keysFile is null
                ? "Demo data already present, and without --keys-file its keys cannot be shown again: issuing fresh demo keys (the earlier ones are revoked)."
                : $"Demo data already present, but {keysFile} is missing or its keys no longer work: issuing fresh demo keys (the earlier ones are revoked).");
        }
        if (provider is null)
        {
            provider = Account.Open(ProviderName, isProvider: true, isClient: false, ProviderWallet, now);
            db.Accounts.Add(provider);
            AddOffers(db, provider.Id, now);
        }
        if (client is null)
        {
            client = Account.Open(ClientName, isProvider: false, isClient: true, ClientWallet, now);
            db.Accounts.Add(client);
        }
        var earlier = await db.ApiKeys
            .Where(k => (k.AccountId == provider.Id || k.AccountId == client.Id) && k.Name == KeyName && k.RevokedAt == null)
            .ToListAsync(cancellationToken);
        foreach (var key in earlier)
        {
            key.Revoke(now);
        }
        // Through ApiKeyChanges, so an API instance already serving drops the revoked keys from its cache at once.
        await scope.ServiceProvider.GetRequiredService<ApiKeyChanges>().SaveChangesAsync(
            db, [ApiKeyChange.Account(provider.Id), ApiKeyChange.Account(client.Id)], cancellationToken);
        await IssueKeysAsync(db, provider, client, keysFile, now, cancellationToken);
    }

    private static Task<Account?> FindAsync(MarketDbContext db, string name, string wallet, CancellationToken cancellationToken) =>
        db.Accounts.Where(a => a.DisplayName == name && a.WalletAddress == wallet)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>Whether <paramref name="key"/> still signs in as <paramref name="accountId"/> (the check the API itself makes).</summary>
    private static async Task<bool> WorksForAsync(MarketDbContext db, string key, Guid accountId, CancellationToken cancellationToken)
    {
        var prefix = ApiKeySecret.PrefixOf(key);
        if (prefix is null)
        {
            return false;
        }
        var stored = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Prefix == prefix && k.AccountId == accountId && k.RevokedAt == null)
            .OrderBy(k => k.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return stored is not null && ApiKeySecret.Matches(ApiKeySecret.Hash(key), stored.Hash);
    }

    private static async Task IssueKeysAsync(MarketDbContext db, Account provider, Account client, string? keysFile, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var providerKey = ApiKeyIssuer.Issue(db, provider.Id, KeyName, ApiKeyScope.Full, now).Key;
        var clientKey = ApiKeyIssuer.Issue(db, client.Id, KeyName, ApiKeyScope.Full, now).Key;
        // The file first: if writing it fails, nothing is committed and the earlier keys (if any) stay valid.
        if (keysFile is not null)
        {
            await DemoKeysFile.WriteAsync(keysFile, providerKey, clientKey, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);

        // Printed on purpose: these are the keys a developer pastes into Swagger UI's Authorize box.
        Console.Write(DemoKeysFile.Lines(providerKey, clientKey));
        if (keysFile is not null)
        {
            Console.WriteLine($"(kept in {keysFile}, readable by you only; `seed-demo --keys-file` shows them again)");
        }
    }

    private static void AddOffers(MarketDbContext db, Guid providerId, DateTimeOffset now)
    {
        db.ComputeOffers.AddRange(
            ComputeOffer.Create(providerId, ComputeTerms.Parse("NVIDIA H100 80GB HBM3", 8, null, 96, 1024, 4000, "DE", "Frankfurt", TokenAmount.Parse("2.49"), 1, 720, null), true, now),
            ComputeOffer.Create(providerId, ComputeTerms.Parse("RTX 4090", 4, null, 32, 128, 2000, "US", "Austin", TokenAmount.Parse("0.39"), 1, 168, null), true, now),
            ComputeOffer.Create(providerId, ComputeTerms.Parse("A100 SXM4 80GB", 8, null, 64, 512, 4000, "FI", null, TokenAmount.Parse("1.29"), 4, 720, 6), true, now));
        db.StorageOffers.AddRange(
            StorageOffer.Create(providerId, StorageTerms.Parse(50_000, null, TokenAmount.Parse("0.002"), "NL", "Amsterdam", 3, 30, true), true, now),
            StorageOffer.Create(providerId, StorageTerms.Parse(200_000, 150_000, TokenAmount.Parse("0.0012"), "US", null, 1, 90, false), true, now));
        db.ModelOffers.AddRange(
            ModelOffer.Create(providerId, ModelTerms.Parse("meta-llama/Llama-3.1-8B-Instruct", Modality.Text, 131072, TokenAmount.Parse("0.05"), TokenAmount.Parse("0.08"), "https://llama.demo.invalid/v1", 600), true, now),
            ModelOffer.Create(providerId, ModelTerms.Parse("BAAI/bge-m3", Modality.Embedding, 8192, TokenAmount.Parse("0.01"), TokenAmount.Zero, "https://embed.demo.invalid/v1", 1200), true, now));
    }
}
