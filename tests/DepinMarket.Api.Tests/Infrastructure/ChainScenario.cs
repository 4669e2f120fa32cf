using System.Numerics;
using DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>Calls the chain tests share: token balances read from the chain.</summary>
public static class ChainScenario
{
    public static async Task<BigInteger> BalanceOfAsync(this ChainMarketApi api, string address) =>
        await api.Anvil.Client(null).GetContractHandler(api.Contracts.Token)
            .QueryAsync<BalanceOfFunction, BigInteger>(new BalanceOfFunction { Account = address });
}
