using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Api.Features.Accounts;
using DepinMarket.Api.Features.Admin;
using DepinMarket.Api.Features.ChainInfo;
using DepinMarket.Api.Features.Faucet;
using DepinMarket.Api.Features.Offers;
using DepinMarket.Api.Features.WalletAuth;
using DepinMarket.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddMarketLogging();
builder.AddMarketLimits();
builder.AddMarketJson();
builder.AddProblemResponses();
builder.AddMarketData();
builder.AddMarketChain();
builder.AddMarketOptions();
builder.AddMarketAuth();
builder.AddMarketRateLimits();
builder.AddMarketHealth();
builder.AddMarketOpenApi();
builder.Services.AddSingleton(TimeProvider.System);

var app = builder.Build();

// "DepinMarket.Api migrate" and "DepinMarket.Api seed-demo" run a task and exit instead of serving.
if (await Commands.TryRunAsync(app, args))
{
    return;
}

app.UseProblemResponses();
app.UseRequestLogging();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapMarketHealth();
app.MapMarketOpenApi();
app.MapAccounts();
app.MapApiKeys();
app.MapWalletAuth();
app.MapOffers();
app.MapChainInfo();
app.MapFaucet();
app.MapAdmin();

app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
