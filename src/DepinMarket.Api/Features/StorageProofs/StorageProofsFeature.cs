namespace DepinMarket.Api.Features.StorageProofs;

/// <summary>
/// Storage proofs (docs/decisions/0023): renters commit to their data, the challenger asks the serving node for a random
/// chunk at random times, answers are verified against the Merkle root, and failures and missed deadlines are slashed.
/// </summary>
public static class StorageProofsFeature
{
    public static WebApplicationBuilder AddStorageProofs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageProofOptions>().Bind(builder.Configuration.GetSection("StorageProofs"))
            .Validate(o => o.MeanInterval >= TimeSpan.FromSeconds(1), "StorageProofs:MeanInterval must be at least a second.")
            .Validate(o => o.AnswerWithin >= TimeSpan.FromSeconds(10), "StorageProofs:AnswerWithin must be at least 10 seconds (an agent answers on its next heartbeat).")
            .Validate(o => o.Interval >= TimeSpan.Zero, "StorageProofs:Interval must not be negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton<StorageChallenger>();
        builder.Services.AddScoped<StorageProofFaults>();
        builder.Services.AddHostedService<StorageChallengerService>();
        return builder;
    }

    public static WebApplication MapStorageProofs(this WebApplication app)
    {
        app.MapStorageProofEndpoints();
        return app;
    }
}
