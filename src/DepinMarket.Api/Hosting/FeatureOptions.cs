using DepinMarket.Api.Features.Faucet;
using DepinMarket.Api.Features.WalletAuth;

namespace DepinMarket.Api.Hosting;

public static class FeatureOptions
{
    /// <summary>Binds the features' configuration sections ("SignIn", "Faucet").</summary>
    public static WebApplicationBuilder AddMarketOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SignInOptions>().Bind(builder.Configuration.GetSection("SignIn"));
        builder.Services.AddOptions<FaucetOptions>().Bind(builder.Configuration.GetSection("Faucet"))
            .Validate(o => Domain.Money.TokenAmount.TryParse(o.AmountTokens, out var a, out _) && !a.IsZero, "Faucet:AmountTokens must be a positive token amount.")
            .ValidateOnStart();
        return builder;
    }
}
