using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Tests.TransactionManagement;
using DepinMarket.Chain.Tests.Vectors;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Contracts.Generated;

/// <summary>
/// Nethereum's code generator puts [Function]/[Event]/[FunctionOutput] on a *Base class and users work with an empty
/// partial subclass: the attributes must be found through inheritance. Checked against the shared ethers.js vectors.
/// </summary>
public class GeneratedCodeShapeTests
{
    public static TheoryData<string, int> TransferCalls => BySignature("abiCalls", "transfer(address,uint256)");

    public static TheoryData<string, int> TransferEvents => BySignature("events", "Transfer(address indexed from,address indexed to,uint256 value)");

    // The (address, uint256, bytes) records are what lookup() returns.
    public static TheoryData<string, int> LookupOutputs =>
        EvmVectors.Cases("abiDecode", v => string.Join(",", v.GetProperty("types").EnumerateArray().Select(t => t.GetString())), IsLookupResult);

    [Theory]
    [MemberData(nameof(TransferCalls))]
    public void Partial_subclass_of_a_generated_function_base_encodes_to_ethers_call_data(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("abiCalls", index);
        var args = v.GetProperty("args");

        var message = new TransferFunction { To = args[0].GetString()!, Value = Big(args[1]) };
        var overridden = new TransferFunctionWithOverride { To = args[0].GetString()!, Value = Big(args[1]) };

        Assert.Equal(v.GetProperty("calldata").GetString(), message.GetCallDataHex());
        Assert.Equal(v.GetProperty("calldata").GetString(), overridden.GetCallDataHex());
        var abi = message.GetFunctionAbi();
        Assert.Equal("transfer(address,uint256)", abi.Signature);
        Assert.Equal("bool", Assert.Single(abi.Outputs).Type.CanonicalName);
    }

    [Theory]
    [MemberData(nameof(TransferEvents))]
    public void Partial_subclass_of_a_generated_event_base_decodes_ethers_logs(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("events", index);
        var values = v.GetProperty("values");
        var log = new FilterLog
        {
            Topics = v.GetProperty("topics").EnumerateArray().Select(t => t.GetString()!).ToList(),
            Data = v.GetProperty("data").GetString()!,
        };

        var decoded = Assert.Single(new[] { log }.DecodeAllEvents<TransferEventDTO>()).Event;

        Assert.Equal(values[0].GetString(), decoded.From);
        Assert.Equal(values[1].GetString(), decoded.To);
        Assert.Equal(Big(values[2]), decoded.Value);
        Assert.Equal(v.GetProperty("topics")[0].GetString(), AbiTypedRegistry.GetEvent<TransferEventDTO>().Topic0Hex);
    }

    [Theory]
    [MemberData(nameof(LookupOutputs))]
    public void Generated_output_dto_and_interface_only_output_dto_decode_ethers_return_data(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("abiDecode", index);
        var values = v.GetProperty("values");
        var data = v.GetProperty("encoded").GetString()!.HexToByteArray();

        var generated = FunctionOutputDecoder.Decode<LookupFunction, LookupOutputDTO>(data);
        var interfaceOnly = FunctionOutputDecoder.Decode<LookupFunction, LookupInterfaceOnlyOutput>(data);

        Assert.Equal(values[0].GetString(), generated.Who);
        Assert.Equal(Big(values[1]), generated.Amount);
        Assert.Equal(values[2].GetString(), generated.Blob.ToHex(prefix: true));
        Assert.Equal(generated.Who, interfaceOnly.Who);
        Assert.Equal(generated.Amount, interfaceOnly.Amount);
        Assert.Equal(generated.Blob, interfaceOnly.Blob);
    }

    [Fact]
    public void Function_whose_base_names_an_output_dto_takes_its_outputs_from_the_dto()
    {
        var abi = AbiTypedRegistry.GetFunction<LookupFunction>();

        Assert.Equal(["address", "uint256", "bytes"], abi.Outputs.Select(o => o.Type.CanonicalName));
        Assert.Equal("lookup()", abi.Signature);
    }

    [Fact]
    public async Task QueryDeserializingToObjectAsync_fills_a_generated_output_dto()
    {
        var v = EvmVectors.Root.GetProperty("abiDecode").EnumerateArray().First(IsLookupResult);
        var api = new FakeEthApi { CallResult = v.GetProperty("encoded").GetString()! };
        var handler = new ContractHandler(EthereumAddress.Parse("0x20Cd678a8E68F042E6d68a0bd26727C91145b71C"), api);

        var output = await handler.QueryDeserializingToObjectAsync<LookupFunction, LookupOutputDTO>();

        Assert.Equal(Big(v.GetProperty("values")[1]), output.Amount);
        Assert.Equal(AbiTypedRegistry.GetFunction<LookupFunction>().SelectorHex, Assert.Single(api.Calls).Data);
    }

    [Fact]
    public void DecodeOutput_extension_fills_an_output_dto_from_hex()
    {
        var v = EvmVectors.Root.GetProperty("abiDecode").EnumerateArray().First(IsLookupResult);

        var output = new LookupOutputDTO().DecodeOutput(v.GetProperty("encoded").GetString()!);

        Assert.Equal(v.GetProperty("values")[0].GetString(), output.Who);
        Assert.Equal(Big(v.GetProperty("values")[1]), output.Amount);
    }

    private static TheoryData<string, int> BySignature(string category, string signature) =>
        EvmVectors.Cases(category, v => v.GetProperty("signature").GetString()!, v => v.GetProperty("signature").GetString() == signature);

    private static bool IsLookupResult(JsonElement v) =>
        v.GetProperty("types").EnumerateArray().Select(t => t.GetString()).SequenceEqual(["address", "uint256", "bytes"]);

    private static BigInteger Big(JsonElement e) => BigInteger.Parse(e.GetString()!, CultureInfo.InvariantCulture);
}
