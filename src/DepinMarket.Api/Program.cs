using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Accounts;
using DepinMarket.Api.Features.Admin;
using DepinMarket.Api.Features.ChainInfo;
using DepinMarket.Api.Features.Deposits;
using DepinMarket.Api.Features.DepositWatcher;
using DepinMarket.Api.Features.Faucet;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Features.Nodes;
using DepinMarket.Api.Features.Offers;
using DepinMarket.Api.Features.Rentals;
using DepinMarket.Api.Features.Reputation;
using DepinMarket.Api.Features.Rewards;
using DepinMarket.Api.Features.Settlement;
using DepinMarket.Api.Features.Stakes;
using DepinMarket.Api.Features.StorageProofs;
using DepinMarket.Api.Features.Validators;
using DepinMarket.Api.Features.WalletAuth;
using DepinMarket.Api.Features.Webhooks;
using DepinMarket.Api.Hosting;

var builder = WebApplication.CreateBuilder(ContentRoot.For(args));

// The host: logging, limits, one JSON dialect and one error shape, data, chain, auth, health, API document.
builder.AddMarketLogging();
builder.AddMarketLimits();
builder.AddMarketForwardedHeaders();
builder.AddMarketJson();
builder.AddProblemResponses();
builder.AddMarketData();
builder.AddMarketChain();
builder.AddMarketAuth();
builder.AddMarketRateLimits();
builder.AddMarketHealth();
builder.AddMarketOpenApi();
builder.Services.AddSingleton(TimeProvider.System);

// The features, each registering its own options, examples and services.
builder.AddAccounts();
builder.AddWalletAuth();
builder.AddOffers();
builder.AddNodes();
builder.AddStakes();
builder.AddStorageProofs();
builder.AddChainInfo();
builder.AddFaucet();
builder.AddLedger();
builder.AddDeposits();
builder.AddDepositWatcher();
builder.AddRentals();
builder.AddWebhooks();
builder.AddSettlement();
builder.AddRewards();
builder.AddValidators();
builder.AddReputation();

var app = builder.Build();

// "DepinMarket.Api migrate", "chain deploy" and "seed-demo" run a task and exit instead of serving.
if (await Commands.TryRunAsync(app, args))
{
    return;
}

app.UseMarketForwardedHeaders();
app.UseSecurityHeaders();
app.UseProblemResponses();
app.UseRequestLogging();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapMarketHealth();
app.MapMarketOpenApi();
app.MapAccounts();
app.MapWalletAuth();
app.MapOffers();
app.MapNodes();
app.MapStakes();
app.MapStorageProofs();
app.MapChainInfo();
app.MapFaucet();
app.MapLedger();
app.MapDeposits();
app.MapDepositWatcher();
app.MapRentals();
app.MapWebhooks();
app.MapSettlement();
app.MapRewards();
app.MapReputation();
app.MapValidators();
app.MapAdmin();

app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
