using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Tests.Vectors;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Contracts;

public class TypedContractTests
{
    public static TheoryData<string, int> CallCases =>
        EvmVectors.Cases("abiCalls", v => v.GetProperty("signature").GetString()!);

    public static TheoryData<string, int> EventCases =>
        EvmVectors.Cases("events", v => v.GetProperty("signature").GetString()!);

    [Theory]
    [MemberData(nameof(CallCases))]
    public void Typed_function_message_encodes_to_ethers_call_data(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("abiCalls", index);
        var args = v.GetProperty("args");
        FunctionMessage message = v.GetProperty("signature").GetString() switch
        {
            "deposit(bytes32,uint256)" => new DepositFunction { Account = Bytes(args[0]), Amount = Big(args[1]) },
            "payout(bytes32,address[],uint256[])" => new PayoutFunction
            {
                BatchId = Bytes(args[0]),
                Recipients = args[1].EnumerateArray().Select(a => a.GetString()!).ToList(),
                Amounts = args[2].EnumerateArray().Select(Big).ToList(),
            },
            "submit((address,uint256,bytes32)[],uint64)" => new SubmitFunction
            {
                Items = args[0].EnumerateArray().Select(i => new SubmitItem
                {
                    To = EthereumAddress.Parse(i[0].GetString()!),
                    Amount = Big(i[1]),
                    Reference = Bytes(i[2]),
                }).ToList(),
                Deadline = ulong.Parse(args[1].GetString()!, CultureInfo.InvariantCulture),
            },
            "transfer(address,uint256)" => new TransferFunction { To = args[0].GetString()!, Value = Big(args[1]) },
            "approve(address,uint256)" => new ApproveFunction { Spender = args[0].GetString()!, Value = Big(args[1]) },
            "balanceOf(address)" => new BalanceOfFunction { Account = args[0].GetString()! },
            "setFlag(bool,int256,uint8)" => new SetFlagFunction { Flag = args[0].GetBoolean(), Delta = Big(args[1]), Level = byte.Parse(args[2].GetString()!, CultureInfo.InvariantCulture) },
            "register(string,bytes)" => new RegisterFunction { Name = args[0].GetString()!, Data = Bytes(args[1]) },
            var other => throw new InvalidOperationException($"No typed message for {other}."),
        };

        Assert.Equal(v.GetProperty("signature").GetString(), message.GetFunctionAbi().Signature);
        Assert.Equal(v.GetProperty("calldata").GetString(), message.GetCallDataHex());
    }

    [Theory]
    [MemberData(nameof(EventCases))]
    public void DecodeAllEvents_fills_the_matching_event_dto_and_skips_other_events(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("events", index);
        var values = v.GetProperty("values");
        var log = new FilterLog
        {
            Address = "0x0000000000000000000000000000000000000001",
            Topics = v.GetProperty("topics").EnumerateArray().Select(t => t.GetString()!).ToList(),
            Data = v.GetProperty("data").GetString()!,
        };
        var logs = new[] { log };

        switch (v.GetProperty("signature").GetString())
        {
            case "Transfer(address indexed from,address indexed to,uint256 value)":
                var transfer = Assert.Single(logs.DecodeAllEvents<TransferEventDTO>()).Event;
                Assert.Equal(values[0].GetString(), transfer.From);
                Assert.Equal(values[1].GetString(), transfer.To);
                Assert.Equal(Big(values[2]), transfer.Value);
                Assert.Empty(logs.DecodeAllEvents<DepositedEventDTO>());
                break;
            case "Deposited(bytes32 indexed account,address indexed from,uint256 amount)":
                var deposited = Assert.Single(logs.DecodeAllEvents<DepositedEventDTO>()).Event;
                Assert.Equal(values[0].GetString(), deposited.Account.ToHex(prefix: true));
                Assert.Equal(values[1].GetString(), deposited.From);
                Assert.Equal(Big(values[2]), deposited.Amount);
                Assert.Empty(logs.DecodeAllEvents<TransferEventDTO>());
                break;
            case "BatchPaid(bytes32 indexed batchId,uint256 recipients,uint256 total)":
                var paid = Assert.Single(logs.DecodeAllEvents<BatchPaidEventDTO>()).Event;
                Assert.Equal(values[0].GetString(), paid.BatchId.ToHex(prefix: true));
                Assert.Equal(Big(values[1]), paid.Recipients);
                Assert.Equal(Big(values[2]), paid.Total);
                Assert.Empty(logs.DecodeAllEvents<DepositedEventDTO>());
                break;
            default:
                throw new InvalidOperationException("No event DTO for this signature.");
        }
    }

    [Fact]
    public void Event_dto_topic0_is_keccak_of_the_canonical_signature()
    {
        Assert.Equal("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", AbiTypedRegistry.GetEvent<TransferEventDTO>().Topic0Hex);
        Assert.Equal("Deposited(bytes32,address,uint256)", AbiTypedRegistry.GetEvent<DepositedEventDTO>().Signature);
    }

    [Fact]
    public void Receipt_DecodeAllEvents_returns_the_events_with_their_logs()
    {
        var v = EvmVectors.Root.GetProperty("events").EnumerateArray()
            .First(e => e.GetProperty("signature").GetString()!.StartsWith("Deposited", StringComparison.Ordinal));
        var log = new FilterLog
        {
            Topics = v.GetProperty("topics").EnumerateArray().Select(t => t.GetString()!).ToList(),
            Data = v.GetProperty("data").GetString()!,
            LogIndex = 7,
        };
        var receipt = new TransactionReceipt { Status = 1, Logs = [log] };

        var decoded = Assert.Single(receipt.DecodeAllEvents<DepositedEventDTO>());

        Assert.Same(log, decoded.Log);
        Assert.Equal(Big(v.GetProperty("values")[2]), decoded.Event.Amount);
        Assert.True(receipt.Succeeded());
    }

    [Fact]
    public void Function_output_dto_is_filled_from_return_data()
    {
        var v = EvmVectors.Root.GetProperty("abiDecode").EnumerateArray()
            .First(e => e.GetProperty("types").GetArrayLength() == 3);
        var values = v.GetProperty("values");

        var output = FunctionOutputDecoder.Decode<LookupFunction, AddressAmountBlobOutput>(v.GetProperty("encoded").GetString()!.HexToByteArray());

        Assert.Equal(EthereumAddress.Parse(values[0].GetString()!), output.Who);
        Assert.Equal(Big(values[1]), output.Amount);
        Assert.Equal(values[2].GetString(), output.Blob.ToHex(prefix: true));
    }

    [Fact]
    public void Function_output_dto_with_arrays_is_filled_from_return_data()
    {
        var v = EvmVectors.Root.GetProperty("abiDecode").EnumerateArray()
            .First(e => e.GetProperty("types")[0].GetString() == "uint256[]" && e.GetProperty("values")[0].GetArrayLength() > 0);
        var values = v.GetProperty("values");
        var types = new[] { AbiType.Parse("uint256[]"), AbiType.Parse("address[]") };
        var metadata = AbiParameterMetadata.For(typeof(AmountsAndAddressesOutput));

        var output = (AmountsAndAddressesOutput)metadata.CreateInstance(AbiTupleType.DecodeSequence(types, v.GetProperty("encoded").GetString()!.HexToByteArray(), 0));

        Assert.Equal(values[0].EnumerateArray().Select(Big), output.Amounts);
        Assert.Equal(values[1].EnumerateArray().Select(a => a.GetString()!), output.Addresses);
    }

    [Fact]
    public void Simple_return_value_decodes_to_the_requested_type()
    {
        var returnData = AbiType.Parse("uint256").Encode(new BigInteger(12345));

        Assert.Equal(new BigInteger(12345), FunctionOutputDecoder.Decode<BalanceOfFunction, BigInteger>(returnData));
        Assert.Equal(12345L, FunctionOutputDecoder.Decode<BalanceOfFunction, long>(returnData));
    }

    [Fact]
    public void Empty_return_data_for_a_function_with_outputs_is_an_error_not_zero()
    {
        Assert.Throws<AbiDecodingException>(() => FunctionOutputDecoder.Decode<BalanceOfFunction, BigInteger>([]));
    }

    private static BigInteger Big(JsonElement e) => BigInteger.Parse(e.GetString()!, CultureInfo.InvariantCulture);

    private static byte[] Bytes(JsonElement e) => e.GetString()!.HexToByteArray();
}
