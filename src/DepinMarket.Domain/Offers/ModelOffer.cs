using System.Text.RegularExpressions;
using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Offers;

/// <summary>What an AI model endpoint takes in and gives back.</summary>
public enum Modality
{
    Text,
    Image,
    Audio,
    Embedding,
}

/// <summary>An inference endpoint for one model, paid per million tokens in and out.</summary>
public sealed class ModelOffer : Offer
{
    public string ModelId { get; private set; } = "";

    public Modality Modality { get; private set; }

    public int ContextLength { get; private set; }

    public TokenAmount PricePerMillionInputTokens { get; private set; }

    public TokenAmount PricePerMillionOutputTokens { get; private set; }

    public string EndpointUrl { get; private set; } = "";

    public int RequestsPerMinute { get; private set; }

    private ModelOffer()
    {
    }

    public static ModelOffer Create(Guid providerId, ModelTerms terms, bool publish, DateTimeOffset now)
    {
        var offer = new ModelOffer();
        offer.Open(providerId, publish, now);
        offer.Apply(terms);
        return offer;
    }

    public void Update(ModelTerms terms, DateTimeOffset now)
    {
        EnsureEditable(now);
        Apply(terms);
    }

    private void Apply(ModelTerms t)
    {
        ModelId = t.ModelId;
        Modality = t.Modality;
        ContextLength = t.ContextLength;
        PricePerMillionInputTokens = t.PricePerMillionInputTokens;
        PricePerMillionOutputTokens = t.PricePerMillionOutputTokens;
        EndpointUrl = t.EndpointUrl;
        RequestsPerMinute = t.RequestsPerMinute;
    }
}

public sealed partial record ModelTerms(
    string ModelId, Modality Modality, int ContextLength, TokenAmount PricePerMillionInputTokens,
    TokenAmount PricePerMillionOutputTokens, string EndpointUrl, int RequestsPerMinute)
{
    public static ModelTerms Parse(
        string? modelId, Modality modality, int contextLength, TokenAmount pricePerMillionInputTokens,
        TokenAmount pricePerMillionOutputTokens, string? endpointUrl, int requestsPerMinute)
    {
        var v = new Validation();
        v.NotBlank(modelId, "modelId", 200);
        if (!string.IsNullOrWhiteSpace(modelId) && !ModelIdPattern().IsMatch(modelId))
        {
            v.Add("modelId", $"must look like \"organisation/model\", e.g. \"meta-llama/Llama-3.1-8B-Instruct\"; got \"{modelId}\".");
        }
        v.Require(Enum.IsDefined(modality), "modality", "must be one of text, image, audio, embedding.");
        v.InRange(contextLength, 1, 10_000_000, "contextLength");
        // Output may be free (embedding models produce vectors, not tokens); input may not.
        v.Positive(pricePerMillionInputTokens, "pricePerMillionInputTokens");
        var url = ParseEndpoint(v, endpointUrl);
        v.InRange(requestsPerMinute, 1, 1_000_000, "requestsPerMinute");
        v.ThrowIfInvalid();
        return new ModelTerms(modelId!.Trim(), modality, contextLength, pricePerMillionInputTokens, pricePerMillionOutputTokens, url, requestsPerMinute);
    }

    private static string ParseEndpoint(Validation v, string? endpointUrl)
    {
        if (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            v.Add("endpointUrl", $"must be an absolute https:// URL; got \"{endpointUrl}\".");
            return "";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            v.Add("endpointUrl", "must not carry credentials (user:password@); they would be shown to every client.");
        }
        if (uri.OriginalString.Length > 2048)
        {
            v.Add("endpointUrl", "must be at most 2048 characters.");
        }
        return uri.ToString();
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ModelIdPattern();
}
