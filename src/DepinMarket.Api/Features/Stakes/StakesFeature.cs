using DepinMarket.Api.Features.Offers;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Features.Stakes;

/// <summary>
/// Stakes, slashing and downtime credits (docs/decisions/0022): stake behind offers, a cooldown on unstaking, slashes
/// for provable faults split between the harmed client and burn, and downtime credited to renters without a claim.
/// </summary>
public static class StakesFeature
{
    public static WebApplicationBuilder AddStakes(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StakeOptions>().Bind(builder.Configuration.GetSection("Stakes"))
            .Validate(o => o.AmountsAreValid, "Stakes:PerGpu, PerStorageTb, PerModelOffer and StorageProofSlash must be token amounts (decimal strings, \"200\").")
            .Validate(o => o.Cooldown >= TimeSpan.Zero, "Stakes:Cooldown must not be negative.")
            .Validate(o => o.ClientShareBps is >= 0 and <= 10_000, "Stakes:ClientShareBps must be 0 to 10000.")
            .Validate(o => o.DowntimePenaltyBps is >= 0 and <= 100_000, "Stakes:DowntimePenaltyBps must be 0 to 100000.")
            .Validate(o => o.DowntimeGrace >= TimeSpan.Zero && o.TerminateAfter > o.DowntimeGrace, "Stakes:DowntimeGrace must not be negative and Stakes:TerminateAfter must be longer.")
            .Validate(o => o.FalseUsagePenaltyBps is >= 0 and <= 100_000, "Stakes:FalseUsagePenaltyBps must be 0 to 100000.")
            .Validate(o => o.ReleaseInterval >= TimeSpan.Zero, "Stakes:ReleaseInterval must not be negative.")
            .ValidateOnStart();
        builder.AddOpenApiExamples(new Dictionary<Type, object>
        {
            [typeof(StakeRequest)] = new StakeRequest(TokenAmount.Parse("1600")),
        });
        builder.Services.AddSingleton<StakeCoverage>();
        builder.Services.AddSingleton<IOfferActivationGuard>(services => services.GetRequiredService<StakeCoverage>());
        builder.Services.AddSingleton<Slasher>();
        builder.Services.AddSingleton<StakeRelease>();
        builder.Services.AddSingleton<DowntimeCredits>();
        builder.Services.AddHostedService<StakeReleaseService>();
        builder.Services.AddHostedService<DowntimeCreditService>();
        return builder;
    }

    public static WebApplication MapStakes(this WebApplication app)
    {
        app.MapStakeEndpoints();
        app.MapFalseUsageEndpoints();
        return app;
    }
}
