using System.Net;
using System.Numerics;
using System.Text.Json;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rpc;

namespace DepinMarket.Chain.Tests.Rpc;

/// <summary>JSON-RPC error parsing, driven by canned node responses through a fake HTTP transport (no node involved).</summary>
public class RpcErrorMappingFakeTransportTests
{
    private static readonly Uri Endpoint = new("http://fake-node.invalid/");

    [Error("InsufficientBalance")]
    public class InsufficientBalanceError
    {
        [Parameter("uint256", "available", 1)]
        public BigInteger Available { get; set; }

        [Parameter("uint256", "required", 2)]
        public BigInteger Required { get; set; }
    }

    [Fact]
    public async Task FakeTransport_revert_with_Error_string_surfaces_the_decoded_reason()
    {
        var data = AbiFunction.Parse("Error(string)").GetCallDataHex("batch already paid");
        var client = Client(ErrorBody(3, "execution reverted: batch already paid", data));

        var ex = await Assert.ThrowsAsync<RpcRevertException>(() => client.CallAsync(new CallInput { To = "0x0000000000000000000000000000000000000001", Data = "0x" }));

        Assert.Equal(RpcErrorKind.ExecutionReverted, ex.Kind);
        Assert.Equal(3, ex.Code);
        Assert.Equal("batch already paid", ex.Reason);
        Assert.Equal(RevertReason.ErrorStringSelector, ex.ErrorSelector);
        Assert.Equal("eth_call", ex.Method);
    }

    [Fact]
    public async Task FakeTransport_revert_with_custom_error_exposes_its_selector_and_decodes_it()
    {
        var error = AbiTypedRegistry.GetFunction<InsufficientBalanceError>();
        var data = error.GetCallDataHex(new BigInteger(5), new BigInteger(9));
        var client = Client(ErrorBody(3, "execution reverted", data));

        var ex = await Assert.ThrowsAsync<RpcRevertException>(() => client.EstimateGasAsync(new CallInput()));

        Assert.Null(ex.Reason);
        Assert.Equal(error.SelectorHex, ex.ErrorSelector);
        var decoded = ex.DecodeCustomError<InsufficientBalanceError>();
        Assert.NotNull(decoded);
        Assert.Equal(new BigInteger(5), decoded.Available);
        Assert.Equal(new BigInteger(9), decoded.Required);
    }

    [Fact]
    public async Task FakeTransport_revert_data_nested_in_an_object_is_found()
    {
        var data = AbiFunction.Parse("Error(string)").GetCallDataHex("nope");
        var client = Client(ErrorBody(-32603, "Error: VM Exception while processing transaction: reverted with reason string 'nope'", new { message = "reverted", data }));

        var ex = await Assert.ThrowsAsync<RpcRevertException>(() => client.CallAsync(new CallInput()));

        Assert.Equal("nope", ex.Reason);
    }

    [Fact]
    public async Task FakeTransport_panic_revert_reports_the_panic_code()
    {
        var data = AbiFunction.Parse("Panic(uint256)").GetCallDataHex(new BigInteger(0x11));
        var client = Client(ErrorBody(3, "execution reverted", data));

        var ex = await Assert.ThrowsAsync<RpcRevertException>(() => client.CallAsync(new CallInput()));

        Assert.Equal(new BigInteger(0x11), ex.PanicCode);
        Assert.Contains("overflow", ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nonce too low: next nonce 7, tx nonce 5", typeof(NonceTooLowException), RpcErrorKind.NonceTooLow)]
    [InlineData("replacement transaction underpriced", typeof(ReplacementUnderpricedException), RpcErrorKind.ReplacementUnderpriced)]
    [InlineData("insufficient funds for gas * price + value: balance 0, tx cost 21000", typeof(InsufficientFundsException), RpcErrorKind.InsufficientFunds)]
    [InlineData("already known", typeof(RpcException), RpcErrorKind.AlreadyKnown)]
    [InlineData("max fee per gas less than block base fee: address 0x1, maxFeePerGas: 1, baseFee: 7", typeof(RpcException), RpcErrorKind.FeeTooLow)]
    [InlineData("intrinsic gas too low", typeof(RpcException), RpcErrorKind.GasLimit)]
    [InlineData("something new and strange", typeof(RpcException), RpcErrorKind.Unknown)]
    public async Task FakeTransport_send_raw_transaction_errors_map_to_typed_exceptions(string nodeMessage, Type expectedType, RpcErrorKind expectedKind)
    {
        var client = Client(JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, error = new { code = -32000, message = nodeMessage } }));

        var ex = await Assert.ThrowsAnyAsync<RpcException>(() => client.SendRawTransactionAsync("0x02"));

        Assert.IsType(expectedType, ex);
        Assert.Equal(expectedKind, ex.Kind);
        Assert.Equal(-32000, ex.Code);
        Assert.Equal(nodeMessage, ex.RpcMessage);
    }

    [Fact]
    public async Task FakeTransport_http_error_without_json_rpc_body_is_a_transport_exception_with_status()
    {
        var client = Client("<html>bad gateway</html>", HttpStatusCode.BadGateway);

        var ex = await Assert.ThrowsAsync<RpcTransportException>(() => client.BlockNumberAsync());

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Equal(RpcErrorKind.Transport, ex.Kind);
    }

    [Fact]
    public async Task FakeTransport_json_rpc_error_in_an_http_429_body_is_mapped_from_the_body()
    {
        var client = Client("""{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"rate limited"}}""", HttpStatusCode.TooManyRequests);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.BlockNumberAsync());

        Assert.Equal(-32005, ex.Code);
        Assert.Equal("rate limited", ex.RpcMessage);
    }

    [Fact]
    public async Task FakeTransport_unanswered_call_fails_with_RpcTimeoutException_after_the_per_call_timeout()
    {
        using var http = new HttpClient(new HangingHttpHandler());
        var client = new EthJsonRpcClient(http, Endpoint, TimeSpan.FromMilliseconds(50));

        var ex = await Assert.ThrowsAsync<RpcTimeoutException>(() => client.ChainIdAsync());

        Assert.Equal(RpcErrorKind.Timeout, ex.Kind);
        Assert.Equal("eth_chainId", ex.Method);
    }

    [Fact]
    public async Task FakeTransport_caller_cancellation_is_OperationCanceledException_not_a_timeout()
    {
        using var http = new HttpClient(new HangingHttpHandler());
        var client = new EthJsonRpcClient(http, Endpoint, TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ChainIdAsync(cts.Token));

        Assert.IsNotType<RpcTimeoutException>(ex);
    }

    [Fact]
    public async Task FakeTransport_request_is_json_rpc_2_with_hex_quantities_and_results_parse()
    {
        var handler = FakeHttpHandler.Always("""{"jsonrpc":"2.0","id":1,"result":"0x5208"}""");
        using var http = new HttpClient(handler);
        var client = new EthJsonRpcClient(http, Endpoint);

        var gas = await client.EstimateGasAsync(new CallInput { From = "0x0000000000000000000000000000000000000001", Value = new BigInteger(255), Data = "0xabcd" });

        Assert.Equal(new BigInteger(21000), gas);
        using var request = JsonDocument.Parse(Assert.Single(handler.Requests));
        Assert.Equal("2.0", request.RootElement.GetProperty("jsonrpc").GetString());
        Assert.Equal("eth_estimateGas", request.RootElement.GetProperty("method").GetString());
        var call = request.RootElement.GetProperty("params")[0];
        Assert.Equal("0xff", call.GetProperty("value").GetString());
        Assert.Equal("0xabcd", call.GetProperty("data").GetString());
        Assert.False(call.TryGetProperty("gas", out _));
    }

    [Fact]
    public async Task FakeTransport_receipt_parses_status_block_and_logs_and_null_means_pending()
    {
        var receiptJson = """
            {"jsonrpc":"2.0","id":1,"result":{"transactionHash":"0xaa","transactionIndex":"0x0","blockHash":"0xbb","blockNumber":"0x10",
             "from":"0x0000000000000000000000000000000000000001","to":null,"cumulativeGasUsed":"0x5208","gasUsed":"0x5208",
             "effectiveGasPrice":"0x3b9aca00","contractAddress":null,"status":"0x0","type":"0x2","logsBloom":"0x00",
             "logs":[{"address":"0x0000000000000000000000000000000000000002","topics":["0x01"],"data":"0x","blockNumber":"0x10","logIndex":"0x3","removed":false}]}}
            """;
        var client = Client(receiptJson);

        var receipt = await client.GetTransactionReceiptAsync("0xaa");

        Assert.NotNull(receipt);
        Assert.Equal(new BigInteger(16), receipt.BlockNumber);
        Assert.False(receipt.Succeeded());
        Assert.True(receipt.HasErrors());
        Assert.Equal(new BigInteger(3), Assert.Single(receipt.Logs).LogIndex);

        Assert.Null(await Client("""{"jsonrpc":"2.0","id":1,"result":null}""").GetTransactionReceiptAsync("0xaa"));
    }

    [Fact]
    public async Task FakeTransport_get_logs_sends_the_block_range_address_and_topics()
    {
        var handler = FakeHttpHandler.Always("""{"jsonrpc":"2.0","id":1,"result":[]}""");
        using var http = new HttpClient(handler);
        var client = new EthJsonRpcClient(http, Endpoint);

        var logs = await client.GetLogsAsync(new NewFilterInput
        {
            FromBlock = BlockParameter.FromNumber(100),
            ToBlock = BlockParameter.FromNumber(200),
            Address = ["0x0000000000000000000000000000000000000002"],
            Topics = ["0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", null],
        });

        Assert.Empty(logs);
        using var request = JsonDocument.Parse(Assert.Single(handler.Requests));
        var filter = request.RootElement.GetProperty("params")[0];
        Assert.Equal("0x64", filter.GetProperty("fromBlock").GetString());
        Assert.Equal("0xc8", filter.GetProperty("toBlock").GetString());
        Assert.Equal("0x0000000000000000000000000000000000000002", filter.GetProperty("address")[0].GetString());
        Assert.Equal(JsonValueKind.Null, filter.GetProperty("topics")[1].ValueKind);
    }

    [Fact]
    public async Task FakeTransport_fee_history_and_block_results_parse_hex_quantities()
    {
        var history = await Client("""{"jsonrpc":"2.0","id":1,"result":{"oldestBlock":"0x10","baseFeePerGas":["0x3b9aca00","0x4190ab00"],"gasUsedRatio":[0.5],"reward":[["0x59682f00"]]}}""")
            .FeeHistoryAsync(1, BlockParameter.Latest, [50]);

        Assert.Equal(new BigInteger(16), history.OldestBlock);
        Assert.Equal(new BigInteger(1_100_000_000), history.BaseFeePerGas[^1]);
        Assert.Equal(new BigInteger(1_500_000_000), history.Reward![0][0]);

        var block = await Client("""{"jsonrpc":"2.0","id":1,"result":{"number":"0x1b4","hash":"0xab","parentHash":"0xcd","timestamp":"0x6553f100","gasLimit":"0x1c9c380","gasUsed":"0x0","baseFeePerGas":"0x7","transactions":["0x01","0x02"]}}""")
            .GetBlockByNumberAsync(BlockParameter.Latest);

        Assert.NotNull(block);
        Assert.Equal(new BigInteger(436), block.Number);
        Assert.Equal(new BigInteger(7), block.BaseFeePerGas);
        Assert.Equal(["0x01", "0x02"], block.Transactions);
    }

    [Fact]
    public async Task FakeTransport_chain_client_refuses_a_node_serving_another_chain()
    {
        var options = new ChainOptions { RpcUrl = Endpoint, ChainId = 84532 };
        var client = new ChainClient(new HttpClient(FakeHttpHandler.Always("""{"jsonrpc":"2.0","id":1,"result":"0x7a69"}""")), options);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => client.VerifyChainIdAsync());

        Assert.Contains("31337", ex.Message, StringComparison.Ordinal);
    }

    private static string ErrorBody(int code, string message, object data) =>
        JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, error = new { code, message, data } });

    private static EthJsonRpcClient Client(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(new HttpClient(FakeHttpHandler.Always(body, status)), Endpoint);
}
