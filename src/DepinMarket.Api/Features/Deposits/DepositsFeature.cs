namespace DepinMarket.Api.Features.Deposits;

/// <summary>Gasless deposits relayed by the settler, configured by the "Deposits" section.</summary>
public static class DepositsFeature
{
    public static WebApplicationBuilder AddDeposits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DepositOptions>().Bind(builder.Configuration.GetSection("Deposits"))
            .Validate(o => o.PermitLifetime >= TimeSpan.FromMinutes(1) && o.PermitLifetime <= TimeSpan.FromDays(7),
                "Deposits:PermitLifetime must be between one minute and seven days.")
            .ValidateOnStart();
        return builder;
    }
}
