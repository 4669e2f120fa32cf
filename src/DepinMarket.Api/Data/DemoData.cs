using DepinMarket.Api.Features.Accounts;
using DepinMarket.Chain.Util;
using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Offers;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Data;

/// <summary>
/// Demo data for a first look in Swagger UI: one provider with offers of each kind, one client. Printed
/// API keys are for this local demo database only. Seeding twice does nothing the second time.
/// </summary>
internal static class DemoData
{
    private const string ProviderName = "Demo Provider";

    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<MarketDbContext>>();
        if (await db.Accounts.AnyAsync(a => a.DisplayName == ProviderName, cancellationToken))
        {
            logger.LogInformation("Demo data already present; nothing seeded");
            return;
        }
        var now = DateTimeOffset.UtcNow;
        // Anvil's first two well-known test accounts: public test addresses, never funded on a real network.
        var provider = Account.Open(ProviderName, isProvider: true, isClient: false, EthereumAddress.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266").ToString(), now);
        var client = Account.Open("Demo Client", isProvider: false, isClient: true, EthereumAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").ToString(), now);
        db.Accounts.AddRange(provider, client);
        var providerKey = ApiKeyIssuer.Issue(db, provider.Id, "demo key", ApiKeyScope.Full, now);
        var clientKey = ApiKeyIssuer.Issue(db, client.Id, "demo key", ApiKeyScope.Full, now);

        db.ComputeOffers.AddRange(
            ComputeOffer.Create(provider.Id, ComputeTerms.Parse("NVIDIA H100 80GB HBM3", 8, null, 96, 1024, 4000, "DE", "Frankfurt", TokenAmount.Parse("2.49"), 1, 720, null), true, now),
            ComputeOffer.Create(provider.Id, ComputeTerms.Parse("RTX 4090", 4, null, 32, 128, 2000, "US", "Austin", TokenAmount.Parse("0.39"), 1, 168, null), true, now),
            ComputeOffer.Create(provider.Id, ComputeTerms.Parse("A100 SXM4 80GB", 8, null, 64, 512, 4000, "FI", null, TokenAmount.Parse("1.29"), 4, 720, 6), true, now));
        db.StorageOffers.AddRange(
            StorageOffer.Create(provider.Id, StorageTerms.Parse(50_000, null, TokenAmount.Parse("0.002"), "NL", "Amsterdam", 3, 30, true), true, now),
            StorageOffer.Create(provider.Id, StorageTerms.Parse(200_000, 150_000, TokenAmount.Parse("0.0012"), "US", null, 1, 90, false), true, now));
        db.ModelOffers.AddRange(
            ModelOffer.Create(provider.Id, ModelTerms.Parse("meta-llama/Llama-3.1-8B-Instruct", Modality.Text, 131072, TokenAmount.Parse("0.05"), TokenAmount.Parse("0.08"), "https://llama.demo.invalid/v1", 600), true, now),
            ModelOffer.Create(provider.Id, ModelTerms.Parse("BAAI/bge-m3", Modality.Embedding, 8192, TokenAmount.Parse("0.01"), TokenAmount.Zero, "https://embed.demo.invalid/v1", 1200), true, now));
        await db.SaveChangesAsync(cancellationToken);

        // Printed on purpose: these are the keys a developer pastes into Swagger UI's Authorize box.
        Console.WriteLine($"Demo provider API key: {providerKey.Key}");
        Console.WriteLine($"Demo client API key:   {clientKey.Key}");
    }
}
