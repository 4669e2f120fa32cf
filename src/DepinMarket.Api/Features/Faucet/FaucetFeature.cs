using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Money;
using static DepinMarket.Api.Hosting.OpenApiExamples;

namespace DepinMarket.Api.Features.Faucet;

/// <summary>Test tokens for verified wallets on test networks, configured by the "Faucet" section; grants left in doubt are settled in the background.</summary>
public static class FaucetFeature
{
    public static WebApplicationBuilder AddFaucet(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FaucetOptions>().Bind(builder.Configuration.GetSection("Faucet"))
            .Validate(o => TokenAmount.TryParse(o.AmountTokens, out var a, out _) && !a.IsZero, "Faucet:AmountTokens must be a positive token amount.")
            .Validate(o => o.ResolveInterval >= TimeSpan.Zero, "Faucet:ResolveInterval must not be negative (zero turns the background sweep off).")
            .ValidateOnStart();
        builder.Services.AddHostedService<FaucetInDoubtSweep>();
        builder.AddOpenApiExamples(new Dictionary<Type, object>
        {
            [typeof(FaucetResponse)] = new FaucetResponse(Values.TransactionHash, "1000", Values.Wallet,
                Domain.Faucet.FaucetGrantStatus.Confirmed, Values.Time),
        });
        return builder;
    }
}
