using DepinMarket.Api.Features.Accounts;
using DepinMarket.Api.Features.Admin;
using DepinMarket.Api.Features.ChainInfo;
using DepinMarket.Api.Features.Faucet;
using DepinMarket.Api.Features.Offers;
using DepinMarket.Api.Features.WalletAuth;
using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Offers;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// One worked example per request and response body, shown in Swagger UI and the API document. Swagger
/// UI pre-fills "Try it out" with the request examples, so each must be a request that succeeds.
/// </summary>
internal static class OpenApiExamples
{
    private static readonly Guid ExampleId = Guid.Parse("019a9b5c-2f3e-7c1d-9a4b-5e6f7a8b9c0d");
    private static readonly Guid ExampleProvider = Guid.Parse("019a9b5c-0000-7000-8000-000000000001");
    private static readonly DateTimeOffset ExampleTime = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);
    private const string ExampleWallet = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    private static readonly Dictionary<Type, object> Examples = new()
    {
        [typeof(CreateAccountRequest)] = new CreateAccountRequest("Acme GPU Farm", [AccountRole.Provider], ExampleWallet),
        [typeof(AccountResponse)] = Account(),
        [typeof(CreatedAccountResponse)] = new CreatedAccountResponse(Account(), CreatedKey()),
        [typeof(ChangeWalletRequest)] = new ChangeWalletRequest(ExampleWallet),
        [typeof(CreateApiKeyRequest)] = new CreateApiKeyRequest("render farm script", ApiKeyScope.Full),
        [typeof(CreatedApiKeyResponse)] = CreatedKey(),
        [typeof(ApiKeyResponse)] = new ApiKeyResponse(ExampleId, "render farm script", "3f9a1c0e5b7d2a48", ApiKeyScope.Full, ExampleTime, null),
        [typeof(ChallengeRequest)] = new ChallengeRequest(ExampleWallet),
        [typeof(ChallengeResponse)] = new ChallengeResponse(
            $"127.0.0.1:5080 wants you to sign in with your Ethereum account:\n{ExampleWallet}\n\n...\nNonce: 5f0c1e2d3b4a69788796a5b4c3d2e1f0\n...",
            "5f0c1e2d3b4a69788796a5b4c3d2e1f0", ExampleTime.AddMinutes(10)),
        [typeof(VerifyRequest)] = new VerifyRequest("<the message from /v1/auth/challenge, unchanged>", "0x<65-byte personal_sign signature>"),
        [typeof(VerifyResponse)] = new VerifyResponse(Account() with { WalletVerified = true }, null),
        [typeof(ChainStatusResponse)] = new ChainStatusResponse(true, 31337, true, true, 1234,
            "0x5FbDB2315678afecb367f032d93F642f64180aa3", "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", 1),
        [typeof(FaucetResponse)] = new FaucetResponse("0x9a1f5c0e2b7d4a3f6e8c1b0d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a", "1000", ExampleWallet,
            Domain.Faucet.FaucetGrantStatus.Confirmed, ExampleTime),
        [typeof(ComputeOfferRequest)] = new ComputeOfferRequest("H100", 8, 96, 1024, 4000, "DE", "2.5", 1, 720,
            City: "Frankfurt", Publish: true),
        [typeof(ComputeOfferResponse)] = new ComputeOfferResponse(ExampleId, ExampleProvider, OfferStatus.Active, "NVIDIA H100 80GB HBM3", "H100",
            8, 80, 96, 1024, 4000, "DE", "Frankfurt", "2.5", 1, 720, 8, ExampleTime, ExampleTime),
        [typeof(StorageOfferRequest)] = new StorageOfferRequest(50_000, "0.002", "NL", 3, 30, true, City: "Amsterdam", Publish: true),
        [typeof(StorageOfferResponse)] = new StorageOfferResponse(ExampleId, ExampleProvider, OfferStatus.Active, 50_000, 50_000, "0.002",
            "NL", "Amsterdam", 3, 30, true, ExampleTime, ExampleTime),
        [typeof(ModelOfferRequest)] = new ModelOfferRequest("meta-llama/Llama-3.1-8B-Instruct", Modality.Text, 131072, "0.05", "0.08",
            "https://inference.example.com/v1", 600, Publish: true),
        [typeof(ModelOfferResponse)] = new ModelOfferResponse(ExampleId, ExampleProvider, OfferStatus.Active, "meta-llama/Llama-3.1-8B-Instruct",
            Modality.Text, 131072, "0.05", "0.08", "https://inference.example.com/v1", 600, ExampleTime, ExampleTime),
    };

    public static object? For(Type type) => Examples.GetValueOrDefault(type);

    private static AccountResponse Account() =>
        new(ExampleProvider, "Acme GPU Farm", [AccountRole.Provider], ExampleWallet, false, ExampleTime);

    private static CreatedApiKeyResponse CreatedKey() =>
        new(ExampleId, "first key", "3f9a1c0e5b7d2a48", ApiKeyScope.Full, ExampleTime, "dpm_3f9a1c0e5b7d2a48_<secret shown once>");
}
