using System.Numerics;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Tests.TransactionManagement;
using DepinMarket.Chain.Tests.Vectors;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Contracts;

public class ContractHandlerTests
{
    private static readonly EthereumAddress Token = EthereumAddress.Parse("0x20Cd678a8E68F042E6d68a0bd26727C91145b71C");

    [Fact]
    public async Task QueryAsync_calls_the_contract_with_the_message_call_data_and_decodes_the_result()
    {
        var api = new FakeEthApi { CallResult = AbiType.Parse("uint256").Encode(new BigInteger(777)).ToHex(prefix: true) };
        var handler = new ContractHandler(Token, api);
        var message = new BalanceOfFunction { Account = "0x4FFB617e5E9a0497373963D35CD21a428783Fc68" };

        var balance = await handler.QueryAsync<BalanceOfFunction, BigInteger>(message);

        Assert.Equal(new BigInteger(777), balance);
        var call = Assert.Single(api.Calls);
        Assert.Equal(Token.ToString(), call.To);
        Assert.Equal(message.GetCallDataHex(), call.Data);
    }

    [Fact]
    public async Task Read_only_handler_refuses_to_send()
    {
        var handler = new ContractHandler(Token, new FakeEthApi());

        await Assert.ThrowsAsync<InvalidOperationException>(() => handler.SendRequestAsync(new TransferFunction { To = Token.ToString(), Value = 1 }));
    }

    [Fact]
    public async Task GetEventsAsync_filters_by_contract_and_topic0_and_decodes_the_logs()
    {
        var v = EvmVectors.Root.GetProperty("events").EnumerateArray()
            .First(e => e.GetProperty("signature").GetString()!.StartsWith("Transfer", StringComparison.Ordinal));
        var api = new FakeEthApi
        {
            Logs =
            [
                new FilterLog
                {
                    Address = Token.ToString(),
                    Topics = v.GetProperty("topics").EnumerateArray().Select(t => t.GetString()!).ToList(),
                    Data = v.GetProperty("data").GetString()!,
                },
            ],
        };
        var handler = new ContractHandler(Token, api);

        var events = await handler.GetEventsAsync<TransferEventDTO>(BlockParameter.FromNumber(1), BlockParameter.Latest);

        Assert.Equal(v.GetProperty("values")[0].GetString(), Assert.Single(events).Event.From);
        var filter = Assert.Single(api.LogFilters);
        Assert.Equal([Token.ToString()], filter.Address);
        Assert.Equal(AbiTypedRegistry.GetEvent<TransferEventDTO>().Topic0Hex, filter.Topics![0]);
    }
}
