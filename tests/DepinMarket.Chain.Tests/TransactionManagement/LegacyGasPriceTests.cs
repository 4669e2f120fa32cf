using System.Numerics;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;
using DepinMarket.Chain.Signing;
using DepinMarket.Chain.TransactionManagement;
using DepinMarket.Chain.Transactions;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.TransactionManagement;

/// <summary>A gas price on a request or message makes a legacy EIP-155 transaction at that price; it is never dropped.</summary>
public class LegacyGasPriceTests
{
    private const string PrivateKey = "0x3268b89e38caa5d46411cc899b8434748543b571044e0c06b91788601ee03668";

    private static readonly EthereumAddress Vault = EthereumAddress.Parse("0x3c73B1F2a2bbC1Bb9E13a66ba789E20063cA28e9");

    private static readonly BigInteger FiveGwei = 5_000_000_000;

    [Fact]
    public async Task Request_with_GasPrice_is_signed_as_a_legacy_EIP155_transaction_at_that_price_without_asking_for_fees()
    {
        var api = new FakeEthApi();
        var signer = new LocalEthSigner(PrivateKey);
        var manager = new TransactionManager(api, signer, chainId: 84532);

        var hash = await manager.SendTransactionAsync(new TransactionRequest { To = Vault, Value = 7, GasPrice = FiveGwei });

        var sent = Assert.IsType<LegacyTransactionChainId>(TransactionFactory.CreateTransaction(Assert.Single(api.SentRawTransactions)));
        Assert.Equal(FiveGwei, sent.GasPrice);
        Assert.Equal(new BigInteger(84532), sent.ChainId);
        Assert.Equal((84532 * 2) + 35 + sent.Signature!.RecoveryId, sent.V);
        Assert.Equal(new BigInteger(60_000), sent.GasLimit); // 50,000 estimated + 20% headroom
        Assert.Equal(api.PendingNonce, sent.Nonce);
        Assert.Equal(Vault, sent.To);
        Assert.Equal(new BigInteger(7), sent.Value);
        Assert.Equal(signer.Address, sent.GetSenderAddress());
        Assert.Equal(sent.TransactionHash, hash);
        Assert.Equal(0, api.FeeHistoryCalls);
    }

    [Fact]
    public async Task Function_message_GasPrice_reaches_the_transaction_through_the_contract_handler()
    {
        var api = new FakeEthApi();
        var handler = new ContractHandler(Vault, api, new TransactionManager(api, new LocalEthSigner(PrivateKey), 31337));
        var deposit = new DepositFunction { Account = new byte[32], Amount = 5, GasPrice = FiveGwei, Gas = 90_000 };

        await handler.SendRequestAsync(deposit);

        var sent = Assert.IsType<LegacyTransactionChainId>(TransactionFactory.CreateTransaction(Assert.Single(api.SentRawTransactions)));
        Assert.Equal(FiveGwei, sent.GasPrice);
        Assert.Equal(new BigInteger(90_000), sent.GasLimit);
        Assert.Equal(deposit.GetCallData(), sent.Data);
        Assert.Equal(new BigInteger(31337), sent.ChainId);
    }

    [Fact]
    public async Task Request_without_GasPrice_stays_EIP1559()
    {
        var api = new FakeEthApi();
        var manager = new TransactionManager(api, new LocalEthSigner(PrivateKey), 31337);

        Assert.IsType<Transaction1559>(await manager.BuildTransactionAsync(new TransactionRequest { To = Vault }));
        Assert.Equal(1, api.FeeHistoryCalls);
    }

    public static TheoryData<string, TransactionRequest> MixedFeeRequests => new()
    {
        { "GasPrice with both EIP-1559 fees", new TransactionRequest { To = Vault, GasPrice = FiveGwei, MaxFeePerGas = 10, MaxPriorityFeePerGas = 1 } },
        { "GasPrice with MaxFeePerGas", new TransactionRequest { To = Vault, GasPrice = FiveGwei, MaxFeePerGas = 10 } },
        { "GasPrice with MaxPriorityFeePerGas", new TransactionRequest { To = Vault, GasPrice = FiveGwei, MaxPriorityFeePerGas = 1 } },
        { "GasPrice with an access list", new TransactionRequest { To = Vault, GasPrice = FiveGwei, AccessList = [new AccessListItem(Vault, [new byte[32]])] } },
        { "negative GasPrice", new TransactionRequest { To = Vault, GasPrice = -1 } },
    };

    [Theory]
    [MemberData(nameof(MixedFeeRequests))]
    public async Task Conflicting_or_invalid_fee_settings_are_an_ArgumentException_before_anything_is_estimated_or_sent(string name, TransactionRequest request)
    {
        _ = name;
        var api = new FakeEthApi();
        var manager = new TransactionManager(api, new LocalEthSigner(PrivateKey), 31337);

        await Assert.ThrowsAsync<ArgumentException>(() => manager.SendTransactionAsync(request));

        Assert.Empty(api.Estimates);
        Assert.Empty(api.SentRawTransactions);
        Assert.Equal(0, api.FeeHistoryCalls);
    }

    [Fact]
    public async Task Function_message_with_GasPrice_and_MaxFeePerGas_is_refused()
    {
        var api = new FakeEthApi();
        var handler = new ContractHandler(Vault, api, new TransactionManager(api, new LocalEthSigner(PrivateKey), 31337));

        await Assert.ThrowsAsync<ArgumentException>(() => handler.SendRequestAsync(
            new DepositFunction { Account = new byte[32], Amount = 5, GasPrice = FiveGwei, MaxFeePerGas = 10, MaxPriorityFeePerGas = 1 }));

        Assert.Empty(api.SentRawTransactions);
    }
}
