using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DepinMarket.Chain.Rpc;

/// <summary>
/// JSON-RPC 2.0 over HTTP with System.Text.Json. Each call has its own timeout (<see cref="RpcTimeoutException"/>),
/// honours the caller's <see cref="CancellationToken"/> (<see cref="OperationCanceledException"/>), and maps node
/// errors to typed <see cref="RpcException"/>s. The <see cref="HttpClient"/> comes from the caller (IHttpClientFactory
/// in the API, with <see cref="RpcHttpMessageHandlerFactory"/>), so connection pooling and resilience handlers stay the
/// host's concern. The endpoint URL may hold an API key: exceptions and <see cref="ToString"/> show it only as
/// <see cref="RpcEndpoint.Redacted"/>.
/// </summary>
public sealed class EthJsonRpcClient : IEthApi
{
    /// <summary>Serializer settings for the wire format: camelCase, hex quantities, nulls omitted.</summary>
    public static readonly JsonSerializerOptions JsonOptions = CreateJsonOptions();

    private readonly HttpClient _httpClient;
    private readonly Uri? _endpoint;
    private readonly RpcEndpoint _redactor;
    private readonly TimeSpan _requestTimeout;
    private long _nextId;

    /// <summary>
    /// Client posting to <paramref name="endpoint"/> (or to <see cref="HttpClient.BaseAddress"/> when null), giving each
    /// call <paramref name="requestTimeout"/> (default 15 s).
    /// </summary>
    public EthJsonRpcClient(HttpClient httpClient, Uri? endpoint = null, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        if (endpoint is null && httpClient.BaseAddress is null)
        {
            throw new ArgumentException("Give an endpoint or an HttpClient with a BaseAddress.", nameof(endpoint));
        }

        _httpClient = httpClient;
        _endpoint = endpoint;
        _redactor = new RpcEndpoint(endpoint ?? httpClient.BaseAddress!);
        _requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(15);
        if (_requestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(requestTimeout), "The request timeout must be positive.");
        }
    }

    /// <summary>Client configured from <see cref="ChainOptions"/> (RpcUrl, RequestTimeout).</summary>
    public EthJsonRpcClient(HttpClient httpClient, ChainOptions options)
        : this(httpClient, options?.RpcUrl ?? throw new ArgumentException("ChainOptions.RpcUrl is not set.", nameof(options)), options.RequestTimeout)
    {
    }

    /// <inheritdoc />
    public Task<BigInteger> ChainIdAsync(CancellationToken cancellationToken = default) =>
        SendRequestAsync<BigInteger>("eth_chainId", cancellationToken);

    /// <inheritdoc />
    public Task<BigInteger> BlockNumberAsync(CancellationToken cancellationToken = default) =>
        SendRequestAsync<BigInteger>("eth_blockNumber", cancellationToken);

    /// <inheritdoc />
    public Task<BigInteger> GetBalanceAsync(string address, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        SendRequestAsync<BigInteger>("eth_getBalance", cancellationToken, address, block ?? BlockParameter.Latest);

    /// <inheritdoc />
    public Task<BigInteger> GetTransactionCountAsync(string address, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        SendRequestAsync<BigInteger>("eth_getTransactionCount", cancellationToken, address, block ?? BlockParameter.Pending);

    /// <inheritdoc />
    public Task<BigInteger> EstimateGasAsync(CallInput callInput, CancellationToken cancellationToken = default) =>
        SendRequestAsync<BigInteger>("eth_estimateGas", cancellationToken, callInput);

    /// <inheritdoc />
    public Task<FeeHistory> FeeHistoryAsync(int blockCount, BlockParameter newestBlock, IReadOnlyList<double>? rewardPercentiles, CancellationToken cancellationToken = default) =>
        SendRequestAsync<FeeHistory>("eth_feeHistory", cancellationToken, new BigInteger(blockCount), newestBlock, rewardPercentiles ?? []);

    /// <inheritdoc />
    public Task<BigInteger> MaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default) =>
        SendRequestAsync<BigInteger>("eth_maxPriorityFeePerGas", cancellationToken);

    /// <inheritdoc />
    public async Task<string> CallAsync(CallInput callInput, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        await SendRequestAsync<string>("eth_call", cancellationToken, callInput, block ?? BlockParameter.Latest) ?? "0x";

    /// <inheritdoc />
    public async Task<string> SendRawTransactionAsync(string signedTransactionHex, CancellationToken cancellationToken = default) =>
        await SendRequestAsync<string>("eth_sendRawTransaction", cancellationToken, signedTransactionHex)
        ?? throw new RpcTransportException("eth_sendRawTransaction", null, "the node returned no transaction hash");

    /// <inheritdoc />
    public Task<TransactionReceipt?> GetTransactionReceiptAsync(string transactionHash, CancellationToken cancellationToken = default) =>
        SendRequestAsync<TransactionReceipt?>("eth_getTransactionReceipt", cancellationToken, transactionHash);

    /// <inheritdoc />
    public Task<Transaction?> GetTransactionByHashAsync(string transactionHash, CancellationToken cancellationToken = default) =>
        SendRequestAsync<Transaction?>("eth_getTransactionByHash", cancellationToken, transactionHash);

    /// <inheritdoc />
    public async Task<IReadOnlyList<FilterLog>> GetLogsAsync(NewFilterInput filter, CancellationToken cancellationToken = default) =>
        await SendRequestAsync<List<FilterLog>>("eth_getLogs", cancellationToken, filter) ?? [];

    /// <inheritdoc />
    public Task<Block?> GetBlockByNumberAsync(BlockParameter block, CancellationToken cancellationToken = default) =>
        SendRequestAsync<Block?>("eth_getBlockByNumber", cancellationToken, block, false);

    /// <inheritdoc />
    public async Task<string> GetCodeAsync(string address, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        await SendRequestAsync<string>("eth_getCode", cancellationToken, address, block ?? BlockParameter.Latest) ?? "0x";

    /// <summary>Any JSON-RPC method; parameters are serialised with <see cref="JsonOptions"/>.</summary>
    public async Task<T> SendRequestAsync<T>(string method, CancellationToken cancellationToken, params object?[] parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        var request = new JsonRpcRequest(Interlocked.Increment(ref _nextId), method, parameters ?? []);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_requestTimeout);
        try
        {
            using var content = JsonContent.Create(request, options: JsonOptions);
            using var response = await _httpClient.PostAsync(_endpoint, content, timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            return ParseResponse<T>(method, response, body);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Our timer fired (or HttpClient.Timeout did), not the caller: that is a timeout, not a cancellation.
            throw new RpcTimeoutException(method, _requestTimeout, _redactor.Sanitize(ex), _redactor.Redacted);
        }
        catch (HttpRequestException ex)
        {
            throw new RpcTransportException(method, ex.StatusCode, _redactor.Scrub(ex.Message), _redactor.Sanitize(ex), _redactor.Redacted);
        }
    }

    /// <summary>Names the endpoint redacted: the URL may hold an API key.</summary>
    public override string ToString() => $"EthJsonRpcClient({_redactor.Redacted})";

    private T ParseResponse<T>(string method, HttpResponseMessage response, byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new RpcTransportException(method, response.StatusCode, $"HTTP {(int)response.StatusCode}: the response is not JSON", _redactor.Sanitize(ex), _redactor.Redacted);
        }

        using (document)
        {
            var root = document.RootElement;
            // Some providers answer 4xx/5xx with a JSON-RPC error body; the error is more useful than the status.
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                throw RpcErrorMapper.Map(method, error, _redactor);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new RpcTransportException(method, response.StatusCode, _redactor.Scrub($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}"), endpoint: _redactor.Redacted);
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("result", out var result))
            {
                throw new RpcTransportException(method, response.StatusCode, "the response has neither result nor error", endpoint: _redactor.Redacted);
            }

            try
            {
                return result.Deserialize<T>(JsonOptions)!;
            }
            catch (JsonException ex)
            {
                throw new RpcTransportException(method, response.StatusCode, _redactor.Scrub($"unexpected result shape: {ex.Message}"), _redactor.Sanitize(ex), _redactor.Redacted);
            }
        }
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new HexBigIntegerJsonConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed record JsonRpcRequest(
        [property: JsonPropertyName("id")] long Id,
        [property: JsonPropertyName("method")] string Method,
        [property: JsonPropertyName("params")] object?[] Params)
    {
        [JsonPropertyName("jsonrpc")]
        public string JsonRpc { get; } = "2.0";
    }
}
