namespace DepinMarket.Api.Hosting;

/// <summary>
/// Worked examples for request and response bodies, shown in Swagger UI and the API document. Each feature
/// adds its own (<see cref="OpenApiExampleRegistration.AddOpenApiExamples"/>); the schema transformer in
/// <see cref="OpenApiSetup"/> looks them up by type. Swagger UI pre-fills "Try it out" with the request
/// examples, so each must be a request that succeeds.
/// </summary>
public sealed class OpenApiExamples
{
    private readonly Dictionary<Type, object> _examples = [];

    public object? For(Type type) => _examples.GetValueOrDefault(type);

    internal void Add(IReadOnlyDictionary<Type, object> examples)
    {
        foreach (var (type, example) in examples)
        {
            if (!_examples.TryAdd(type, example))
            {
                throw new InvalidOperationException($"Two features registered an OpenAPI example for {type.Name}.");
            }
        }
    }

    /// <summary>Values the features' examples share, so an id or a wallet reads the same across the document.</summary>
    public static class Values
    {
        public static readonly Guid Id = Guid.Parse("019a9b5c-2f3e-7c1d-9a4b-5e6f7a8b9c0d");
        public static readonly Guid Provider = Guid.Parse("019a9b5c-0000-7000-8000-000000000001");
        public static readonly DateTimeOffset Time = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);
        public const string Wallet = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        public const string TransactionHash = "0x9a1f5c0e2b7d4a3f6e8c1b0d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a";
    }
}

public static class OpenApiExampleRegistration
{
    /// <summary>Adds a feature's body examples to the API document.</summary>
    public static WebApplicationBuilder AddOpenApiExamples(this WebApplicationBuilder builder, IReadOnlyDictionary<Type, object> examples)
    {
        var catalog = builder.Services.Select(s => s.ImplementationInstance).OfType<OpenApiExamples>().FirstOrDefault();
        if (catalog is null)
        {
            catalog = new OpenApiExamples();
            builder.Services.AddSingleton(catalog);
        }
        catalog.Add(examples);
        return builder;
    }
}
