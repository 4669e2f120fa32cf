using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Tests.TransactionManagement;

namespace DepinMarket.Chain.Tests.Rpc;

/// <summary>
/// Hosted RPC providers put the API key in the URL (path, query or userinfo). Nothing the library produces (exception
/// messages, ToString, inner exceptions, option errors) may carry it; at most scheme://host:port/***. The public message
/// names neither host nor port.
/// </summary>
public class EndpointRedactionTests
{
    // Made-up keys, distinctive enough that any leak is found by substring search.
    private const string PathKey = "PaThKeY7f3a9c2e1b";
    private const string QueryKey = "QuErYkEy4d5e6f70";
    private const string User = "alice-user";
    private const string Password = "pAsSwOrD8899";

    private static readonly string[] Secrets = [PathKey, QueryKey, User, Password, "/v2/", "/v3/", "apikey"];

    public static TheoryData<string> ProviderUrls => new()
    {
        $"https://eth-sepolia.g.alchemy.com/v2/{PathKey}",
        $"https://sepolia.infura.io/v3/{PathKey}?apikey={QueryKey}",
        $"https://{User}:{Password}@rpc.example.org:8443/{PathKey}/?token={QueryKey}",
    };

    [Theory]
    [MemberData(nameof(ProviderUrls))]
    public async Task Json_rpc_error_never_shows_the_key(string url)
    {
        // A node echoing the URL in its error text must not leak it either.
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, error = new { code = -32000, message = $"rate limited for {url} (key {PathKey})", data = $"see {url}" } });
        var client = new EthJsonRpcClient(new HttpClient(FakeHttpHandler.Always(body, HttpStatusCode.TooManyRequests)), new Uri(url));

        var ex = await Assert.ThrowsAnyAsync<RpcException>(() => client.BlockNumberAsync());

        AssertRedacted(ex, url);
        Assert.Equal(-32000, ex.Code);
    }

    [Theory]
    [MemberData(nameof(ProviderUrls))]
    public async Task Http_error_status_never_shows_the_key(string url)
    {
        var client = new EthJsonRpcClient(new HttpClient(FakeHttpHandler.Always("<html>unauthorized</html>", HttpStatusCode.Unauthorized)), new Uri(url));

        var ex = await Assert.ThrowsAsync<RpcTransportException>(() => client.ChainIdAsync());

        AssertRedacted(ex, url);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
    }

    [Theory]
    [MemberData(nameof(ProviderUrls))]
    public async Task Timeout_never_shows_the_key(string url)
    {
        var client = new EthJsonRpcClient(new HttpClient(new HangingHttpHandler()), new Uri(url), TimeSpan.FromMilliseconds(30));

        var ex = await Assert.ThrowsAsync<RpcTimeoutException>(() => client.ChainIdAsync());

        AssertRedacted(ex, url);
    }

    [Fact]
    public async Task Transport_failure_to_a_port_nothing_listens_on_never_shows_the_key()
    {
        var port = ClosedLoopbackPort();
        var url = $"http://{User}:{Password}@127.0.0.1:{port}/v2/{PathKey}?apikey={QueryKey}";
        using var http = new HttpClient();
        var client = new EthJsonRpcClient(http, new Uri(url), TimeSpan.FromSeconds(10));

        var ex = await Assert.ThrowsAsync<RpcTransportException>(() => client.BlockNumberAsync());

        AssertRedacted(ex, url);
        Assert.Contains($"http://127.0.0.1:{port}/***", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.PublicMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transport_failure_through_a_handler_that_puts_the_url_in_its_message_is_scrubbed_inner_exception_included()
    {
        var url = $"https://{User}:{Password}@rpc.example.org/v2/{PathKey}?apikey={QueryKey}";
        var client = new EthJsonRpcClient(new HttpClient(new UrlEchoingFailingHandler()), new Uri(url));

        var ex = await Assert.ThrowsAsync<RpcTransportException>(() => client.BlockNumberAsync());

        AssertRedacted(ex, url);
        Assert.NotNull(ex.InnerException);
    }

    [Theory]
    [MemberData(nameof(ProviderUrls))]
    public async Task Chain_id_mismatch_names_only_the_redacted_endpoint(string url)
    {
        var options = new ChainOptions { RpcUrl = new Uri(url), ChainId = 11155111 };
        var chain = new ChainClient(new FakeEthApi { ChainId = 1 }, options);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => chain.VerifyChainIdAsync());

        AssertRedacted(ex, url);
        Assert.Contains("chain 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"https://{new Uri(url).Host}:{new Uri(url).Port}/***", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderUrls))]
    public void Options_ToString_and_validation_errors_show_only_the_redacted_endpoint(string url)
    {
        var valid = new ChainOptions { RpcUrl = new Uri(url), ChainId = 11155111 };
        var wrongScheme = new ChainOptions { RpcUrl = new Uri(url.Replace("https://", "ftp://", StringComparison.Ordinal)), ChainId = 11155111 };

        Assert.Empty(valid.Validate());
        AssertClean(valid.ToString(), url);
        Assert.Contains("/***", valid.ToString(), StringComparison.Ordinal);
        var error = Assert.Single(wrongScheme.Validate());
        AssertClean(error, url);
        Assert.Contains("ftp://", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderUrls))]
    public void Redacted_endpoint_keeps_scheme_host_and_port_only(string url)
    {
        var uri = new Uri(url);

        var redacted = RpcEndpoint.Redact(uri);

        Assert.Equal($"{uri.Scheme}://{uri.Host}:{uri.Port}/***", redacted);
        using var http = new HttpClient();
        var client = new EthJsonRpcClient(http, uri).ToString();
        Assert.Contains(redacted, client, StringComparison.Ordinal);
        AssertClean(client, url);
    }

    [Fact]
    public void Public_message_says_what_kind_of_failure_without_host_port_or_node_text()
    {
        var node = new RpcException(RpcErrorKind.InsufficientFunds, "eth_sendRawTransaction", -32000, "insufficient funds for gas at rpc.example.org:8443", null, endpoint: "https://rpc.example.org:8443/***");
        var revert = new RpcRevertException("eth_call", 3, "execution reverted: batch already paid", null, RevertReason.Decode(Chain.Abi.AbiFunction.Parse("Error(string)").GetCallData("batch already paid")));

        Assert.DoesNotContain("rpc.example.org", node.PublicMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("8443", node.PublicMessage, StringComparison.Ordinal);
        Assert.Contains("https://rpc.example.org:8443/***", node.Message, StringComparison.Ordinal);
        Assert.Contains("batch already paid", revert.PublicMessage, StringComparison.Ordinal);
    }

    private static void AssertRedacted(Exception ex, string url)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            AssertClean(current.Message, url);
        }

        AssertClean(ex.ToString(), url);
        if (ex is RpcException rpc)
        {
            AssertClean(rpc.RpcMessage, url);
            AssertClean(rpc.ErrorData, url);
            AssertClean(rpc.Endpoint, url);
            var uri = new Uri(url);
            Assert.DoesNotContain(uri.Host, rpc.PublicMessage, StringComparison.OrdinalIgnoreCase);
            // Operators still learn which node failed, in the redacted form.
            Assert.Equal(RpcEndpoint.Redact(uri), rpc.Endpoint);
            Assert.Contains(RpcEndpoint.Redact(uri), rpc.Message, StringComparison.Ordinal);
        }
    }

    private static void AssertClean(string? text, string url)
    {
        if (text is null)
        {
            return;
        }

        Assert.DoesNotContain(url, text, StringComparison.OrdinalIgnoreCase);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static int ClosedLoopbackPort()
    {
        // Bind and release: nothing listens there afterwards (unless another process takes the port in between).
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A handler (a proxy, a resilience layer) whose failure message includes the whole request URL.</summary>
    private sealed class UrlEchoingFailingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException($"proxy refused {request.RequestUri}", new IOException($"upstream {request.RequestUri!.AbsoluteUri} closed"));
    }
}
