using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace DepinMarket.Agent;

/// <summary>
/// The node API calls the agent makes, each turned into an <see cref="ApiResult{T}"/>. The provider's API key
/// registers nodes and declares offers; a node's own token sends its heartbeats and answers. Paths are relative
/// so that an --api with a path prefix (https://host/market/) works.
/// </summary>
public sealed class NodeApiClient(HttpClient http)
{
    /// <summary>The longest one call may take before it counts as the API being unreachable.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>An HttpClient for <paramref name="api"/>, with a trailing slash so relative paths land under it.</summary>
    public static HttpClient CreateHttpClient(Uri api, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        var baseAddress = api.AbsoluteUri.EndsWith('/') ? api : new Uri(api.AbsoluteUri + "/");
        var client = handler is null ? new HttpClient() : new HttpClient(handler);
        client.BaseAddress = baseAddress;
        client.Timeout = RequestTimeout;
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("depinmarket-agent", AgentVersion.Current));
        return client;
    }

    public Task<ApiResult<RegisteredNode>> RegisterAsync(string apiKey, RegisterNodeRequest body, CancellationToken cancellationToken) =>
        PostAsync<RegisteredNode>("v1/nodes", apiKey, body, cancellationToken);

    public Task<ApiResult<HeartbeatResponse>> HeartbeatAsync(NodeEntry node, HeartbeatRequest body, CancellationToken cancellationToken) =>
        PostAsync<HeartbeatResponse>($"v1/nodes/{node.NodeId}/heartbeats", node.Token, body, cancellationToken);

    public Task<ApiResult<ChallengeOutcome>> AnswerAsync(NodeEntry node, Guid challengeId, ChallengeAnswer body, CancellationToken cancellationToken) =>
        PostAsync<ChallengeOutcome>($"v1/nodes/{node.NodeId}/challenges/{challengeId}/answer", node.Token, body, cancellationToken);

    public Task<ApiResult<CreatedOffer>> CreateComputeOfferAsync(string apiKey, ComputeOfferRequest body, CancellationToken cancellationToken) =>
        PostAsync<CreatedOffer>("v1/offers/compute", apiKey, body, cancellationToken);

    private async Task<ApiResult<T>> PostAsync<T>(string path, string bearer, object body, CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(body, body.GetType(), options: AgentJson.Options),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync<T>(AgentJson.Options, cancellationToken) is { } value
                    ? ApiResult<T>.Ok(value)
                    : ApiResult<T>.Transient($"{(int)response.StatusCode} with an empty body");
            }
            var problem = await ReadProblemAsync(response, cancellationToken);
            return IsTransient(response.StatusCode)
                ? ApiResult<T>.Transient(problem.ToString(), RetryAfter(response))
                : ApiResult<T>.Refused(problem);
        }
        catch (HttpRequestException ex)
        {
            return ApiResult<T>.Transient(ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiResult<T>.Transient($"no answer within {RequestTimeout.TotalSeconds:0} s");
        }
        catch (JsonException ex)
        {
            return ApiResult<T>.Transient($"an answer the agent could not read ({ex.Message})");
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>The problem+json body, or one made from the status line when the body is not one (a proxy's page).</summary>
    private static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<ApiProblem>(AgentJson.Options, cancellationToken);
            if (problem is not null)
            {
                return problem with { Status = status };
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // Not problem+json; the status line below says what there is to say.
        }
        return new ApiProblem(status, response.ReasonPhrase, null, null, null);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
