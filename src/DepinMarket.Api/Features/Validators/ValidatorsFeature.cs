using DepinMarket.Api.Hosting;

namespace DepinMarket.Api.Features.Validators;

/// <summary>
/// Model scoring by validators (docs/decisions/0021): the operator grants accounts the validator role; validators
/// submit quality and latency scores of model offers each epoch; a background job closes every finished epoch once,
/// combining the scores after Bittensor's Yuma consensus (stake × trust weighted median, scores clipped to a band
/// around it) and moving each validator's trust by how far it strayed; the results are public to any API key and
/// <see cref="ModelScores.LatestByProviderAsync"/> gives reputation its model score.
/// </summary>
public static class ValidatorsFeature
{
    public static WebApplicationBuilder AddValidators(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ValidatorOptions>().Bind(builder.Configuration.GetSection("Validators"))
            .Validate(o => o.GridIsValid, "Validators:Genesis and Validators:EpochLength must be whole seconds, the length at least one.")
            .Validate(o => o.CloseInterval >= TimeSpan.Zero, "Validators:CloseInterval must not be negative (zero turns the closer off).")
            .Validate(o => o.MaxEpochsPerRun is > 0 and <= 10_000, "Validators:MaxEpochsPerRun must be 1 to 10000.")
            .Validate(o => o.InitialTrust is >= 0 and <= 1, "Validators:InitialTrust must be 0 to 1.")
            .Validate(o => o.Consensus.IsValid, "Validators:ClipBand and Validators:TrustLearningRate must be 0 to 1, and Validators:DivergenceScale a positive number.")
            .ValidateOnStart();
        builder.AddOpenApiExamples(new Dictionary<Type, object>
        {
            [typeof(ModelScoreSubmission)] = new ModelScoreSubmission([new ModelScoreEntry(OpenApiExamples.Values.Id, 0.82, 0.64)]),
        });
        builder.Services.AddSingleton<ScoringEpochs>();
        builder.Services.AddSingleton<ScoreRange>();
        builder.Services.AddSingleton<ModelScoreEpochCloser>();
        builder.Services.AddHostedService<ModelScoreEpochService>();
        return builder;
    }

    public static WebApplication MapValidators(this WebApplication app)
    {
        app.MapValidatorAdmin();
        app.MapModelScoreSubmissions();
        app.MapModelScoreEndpoints();
        return app;
    }
}
