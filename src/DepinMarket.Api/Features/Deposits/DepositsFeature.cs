namespace DepinMarket.Api.Features.Deposits;

/// <summary>Gasless deposits relayed by the settler, configured by the "Deposits" section; relays left open are settled in the background.</summary>
public static class DepositsFeature
{
    public static WebApplicationBuilder AddDeposits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DepositOptions>().Bind(builder.Configuration.GetSection("Deposits"))
            .Validate(o => o.PermitLifetime >= TimeSpan.FromMinutes(1) && o.PermitLifetime <= TimeSpan.FromDays(7),
                "Deposits:PermitLifetime must be between one minute and seven days.")
            .Validate(o => o.ResolveInterval >= TimeSpan.Zero, "Deposits:ResolveInterval must not be negative (zero turns the background sweep off).")
            .ValidateOnStart();
        builder.Services.AddSingleton<PermitDeadlines>();
        builder.Services.AddHostedService<DepositRelaySweep>();
        return builder;
    }
}
