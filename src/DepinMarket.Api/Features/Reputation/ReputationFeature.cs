using DepinMarket.Api.Features.Rewards;
using Microsoft.Extensions.DependencyInjection.Extensions;


namespace DepinMarket.Api.Features.Reputation;

/// <summary>
/// Reputation (docs/decisions/0024): each provider's score from its record with visible components, a refreshed copy
/// for search, and reliability weights for emission rewards (replacing the rewards feature's full-weight placeholder).
/// </summary>
public static class ReputationFeature
{
    public static WebApplicationBuilder AddReputation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReputationOptions>().Bind(builder.Configuration.GetSection("Reputation"))
            .Validate(o => o.RefreshInterval >= TimeSpan.Zero, "Reputation:RefreshInterval must not be negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IProviderModelScores, ValidatorModelScores>();
        builder.Services.AddSingleton<ReputationInputsReader>();
        builder.Services.AddSingleton<ReputationRefresher>();
        builder.Services.AddHostedService<ReputationRefreshService>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IRewardReliability, UptimeReliability>());
        return builder;
    }

    public static WebApplication MapReputation(this WebApplication app)
    {
        app.MapReputationEndpoints();
        return app;
    }
}
