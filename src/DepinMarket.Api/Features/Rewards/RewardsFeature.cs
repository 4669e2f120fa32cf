using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Features.Rewards;

/// <summary>
/// Emission rewards (docs/decisions/0019): an emission schedule from configuration, each finished epoch closed once by a
/// background job that divides the epoch's emission by what providers billed and moves it from the pre-funded rewards
/// pool to their earnings (paid on chain by settlement) and the treasury; the public epoch endpoints and the pool's funding.
/// </summary>
public static class RewardsFeature
{
    public static WebApplicationBuilder AddRewards(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RewardOptions>().Bind(builder.Configuration.GetSection("Rewards"))
            .Validate(o => o.AmountsAreValid, "Rewards:InitialPerEpochTokens and Rewards:CapTokens must be token amounts (decimal strings of whole tokens, \"500\").")
            .Validate(o => o.PeriodsAreValid, "Rewards:Genesis and Rewards:EpochLength must be whole seconds (the length at least one) and Rewards:DecayEvery a whole number of epochs.")
            .Validate(o => o.MonthlyDecayBps is >= 0 and <= 10_000, "Rewards:MonthlyDecayBps must be 0 to 10000.")
            .Validate(o => o.Rules.IsValid, "Rewards:ProvidersBps must be 0 to 10000, and the weights zero or more, not all zero.")
            .Validate(o => o.CloseDelay >= TimeSpan.Zero && o.CloseInterval > TimeSpan.Zero, "Rewards:CloseDelay must not be negative and Rewards:CloseInterval must be positive.")
            .Validate(o => o.MaxEpochsPerRun is > 0 and <= 10_000, "Rewards:MaxEpochsPerRun must be 1 to 10000.")
            .ValidateOnStart();
        builder.AddOpenApiExamples(new Dictionary<Type, object>
        {
            [typeof(RewardFundingRequest)] = new RewardFundingRequest(TokenAmount.Parse("100")),
        });
        builder.Services.AddSingleton<IRewardReliability, FullReliability>();
        builder.Services.AddSingleton<RewardEpochCloser>();
        builder.Services.AddHostedService<RewardEpochService>();
        return builder;
    }

    public static WebApplication MapRewards(this WebApplication app)
    {
        app.MapRewardEndpoints();
        app.MapRewardPool();
        return app;
    }
}
