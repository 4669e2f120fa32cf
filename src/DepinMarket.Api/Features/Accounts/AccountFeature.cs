using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Accounts;
using static DepinMarket.Api.Hosting.OpenApiExamples;

namespace DepinMarket.Api.Features.Accounts;

/// <summary>Configuration section "Accounts".</summary>
public sealed class AccountOptions
{
    /// <summary>
    /// Unrevoked API keys one account may hold. Rate limits count an account's keys together, so more keys never
    /// buy more requests; the cap keeps a leaked or looping script from filling the table.
    /// </summary>
    public int MaxActiveApiKeys { get; set; } = 20;
}

/// <summary>Sign-up, the caller's account, and its API keys.</summary>
public static class AccountFeature
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountOptions>().Bind(builder.Configuration.GetSection("Accounts"))
            .Validate(o => o.MaxActiveApiKeys >= 1, "Accounts:MaxActiveApiKeys must be at least 1.")
            .ValidateOnStart();
        builder.AddOpenApiExamples(new Dictionary<Type, object>
        {
            [typeof(CreateAccountRequest)] = new CreateAccountRequest("Acme GPU Farm", [AccountRole.Provider], Values.Wallet),
            [typeof(AccountResponse)] = ExampleAccount,
            [typeof(CreatedAccountResponse)] = new CreatedAccountResponse(ExampleAccount, ExampleKey),
            [typeof(ChangeWalletRequest)] = new ChangeWalletRequest(Values.Wallet),
            [typeof(CreateApiKeyRequest)] = new CreateApiKeyRequest("render farm script", ApiKeyScope.Full),
            [typeof(CreatedApiKeyResponse)] = ExampleKey,
            [typeof(ApiKeyResponse)] = new ApiKeyResponse(Values.Id, "render farm script", "3f9a1c0e5b7d2a48", ApiKeyScope.Full, Values.Time, null),
        });
        return builder;
    }

    public static WebApplication MapAccounts(this WebApplication app)
    {
        app.MapAccountEndpoints();
        app.MapApiKeys();
        return app;
    }

    /// <summary>Also the example inside other features' responses (wallet sign-in answers with the account).</summary>
    internal static AccountResponse ExampleAccount { get; } =
        new(Values.Provider, "Acme GPU Farm", [AccountRole.Provider], Values.Wallet, false, Values.Time);

    internal static CreatedApiKeyResponse ExampleKey { get; } =
        new(Values.Id, "first key", "3f9a1c0e5b7d2a48", ApiKeyScope.Full, Values.Time, "dpm_3f9a1c0e5b7d2a48_<secret shown once>");
}
