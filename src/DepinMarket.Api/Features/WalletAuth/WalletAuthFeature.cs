using DepinMarket.Api.Features.Accounts;
using DepinMarket.Api.Hosting;
using Microsoft.Extensions.Options;
using static DepinMarket.Api.Hosting.OpenApiExamples;

namespace DepinMarket.Api.Features.WalletAuth;

/// <summary>Wallet sign-in (EIP-4361 style message, personal_sign), configured by the "SignIn" section.</summary>
public static class WalletAuthFeature
{
    public static WebApplicationBuilder AddWalletAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SignInOptions>().Bind(builder.Configuration.GetSection("SignIn")).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SignInOptions>, SignInOptionsValidator>();
        builder.Services.AddSingleton<SignInSites>();
        builder.AddOpenApiExamples(new Dictionary<Type, object>
        {
            [typeof(ChallengeRequest)] = new ChallengeRequest(Values.Wallet),
            [typeof(ChallengeResponse)] = new ChallengeResponse(
                $"127.0.0.1:5080 wants you to sign in with your Ethereum account:\n{Values.Wallet}\n\n...\nNonce: 5f0c1e2d3b4a69788796a5b4c3d2e1f0\n...",
                "5f0c1e2d3b4a69788796a5b4c3d2e1f0", Values.Time.AddMinutes(10)),
            [typeof(VerifyRequest)] = new VerifyRequest("<the message from /v1/auth/challenge, unchanged>", "0x<65-byte personal_sign signature>"),
            [typeof(VerifyResponse)] = new VerifyResponse(AccountFeature.ExampleAccount with { WalletVerified = true }, null),
        });
        return builder;
    }
}
