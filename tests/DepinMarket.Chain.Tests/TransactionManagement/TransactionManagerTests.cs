using System.Numerics;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Signing;
using DepinMarket.Chain.TransactionManagement;
using DepinMarket.Chain.Transactions;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.TransactionManagement;

public class TransactionManagerTests
{
    private const string PrivateKey = "0x3268b89e38caa5d46411cc899b8434748543b571044e0c06b91788601ee03668";

    private static readonly EthereumAddress Vault = EthereumAddress.Parse("0x3c73B1F2a2bbC1Bb9E13a66ba789E20063cA28e9");

    private sealed class FixedNonceSource(BigInteger nonce) : INonceSource
    {
        public int Calls { get; private set; }

        public Task<BigInteger> GetNextNonceAsync(EthereumAddress address, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult(nonce);
        }
    }

    [Fact]
    public async Task Fee_strategy_suggests_twice_next_base_fee_plus_median_reward()
    {
        var api = new FakeEthApi();

        var fee = await new FeeHistoryFee1559SuggestionStrategy(api).SuggestFeeAsync();

        // Next block's base fee is the last entry (1.2 gwei); median of the rewards [2, 3] gwei is 3 gwei (upper median).
        Assert.Equal(new BigInteger(1_200_000_000), fee.BaseFee);
        Assert.Equal(new BigInteger(3_000_000_000), fee.MaxPriorityFeePerGas);
        Assert.Equal((2 * new BigInteger(1_200_000_000)) + 3_000_000_000, fee.MaxFeePerGas);
    }

    [Fact]
    public async Task Fee_strategy_falls_back_to_eth_maxPriorityFeePerGas_without_rewards()
    {
        var api = new FakeEthApi { History = new FeeHistory { BaseFeePerGas = [7], Reward = [] } };

        var fee = await new FeeHistoryFee1559SuggestionStrategy(api).SuggestFeeAsync();

        Assert.Equal(new BigInteger(1_500_000_000), fee.MaxPriorityFeePerGas);
        Assert.Equal(new BigInteger(14 + 1_500_000_000), fee.MaxFeePerGas);
    }

    [Fact]
    public async Task Fee_strategy_refuses_when_base_fee_plus_tip_is_above_the_cap()
    {
        var api = new FakeEthApi();

        await Assert.ThrowsAsync<FeeCapExceededException>(() => new FeeHistoryFee1559SuggestionStrategy(api, maxFeePerGasCap: 1_000_000_000).SuggestFeeAsync());
    }

    [Fact]
    public void Replacement_fees_are_at_least_12_5_percent_higher_and_not_below_the_new_suggestion()
    {
        var previous = new Fee1559(MaxFeePerGas: 1000, MaxPriorityFeePerGas: 100);

        var bumped = Fee1559.ForReplacement(previous, new Fee1559(900, 50));
        Assert.Equal(new BigInteger(1125), bumped.MaxFeePerGas);
        Assert.Equal(new BigInteger(113), bumped.MaxPriorityFeePerGas); // 112.5 rounded up

        var overtaken = Fee1559.ForReplacement(previous, new Fee1559(5000, 400));
        Assert.Equal(new BigInteger(5000), overtaken.MaxFeePerGas);
        Assert.Equal(new BigInteger(400), overtaken.MaxPriorityFeePerGas);
    }

    [Fact]
    public async Task Signed_transaction_has_estimate_plus_headroom_suggested_fees_nonce_from_the_source_and_recovers_to_the_signer()
    {
        var api = new FakeEthApi();
        var signer = new LocalEthSigner(PrivateKey);
        var nonces = new FixedNonceSource(42);
        var manager = new TransactionManager(api, signer, chainId: 84532, nonceSource: nonces, gasHeadroomPercent: 20);
        var deposit = new DepositFunction { Account = new byte[32], Amount = 1000 };

        var signed = await manager.SignTransactionAsync(new TransactionRequest { To = Vault, Data = deposit.GetCallData() });

        var decoded = Assert.IsType<Transaction1559>(TransactionFactory.CreateTransaction(signed.GetRawTransactionHex()));
        Assert.Equal(new BigInteger(84532), decoded.ChainId);
        Assert.Equal(new BigInteger(42), decoded.Nonce);
        Assert.Equal(new BigInteger(60_000), decoded.GasLimit);
        Assert.Equal(new BigInteger(3_000_000_000), decoded.MaxPriorityFeePerGas);
        Assert.Equal(new BigInteger(5_400_000_000), decoded.MaxFeePerGas);
        Assert.Equal(Vault, decoded.To);
        Assert.Equal(deposit.GetCallData(), decoded.Data);
        Assert.Equal(signer.Address, decoded.GetSenderAddress());
        Assert.Equal(1, nonces.Calls);
        Assert.Empty(api.SentRawTransactions);
        Assert.Equal(signer.Address.ToString(), Assert.Single(api.Estimates).From);
    }

    [Fact]
    public async Task Explicit_gas_fees_and_nonce_are_used_as_given_and_the_node_is_not_asked()
    {
        var api = new FakeEthApi();
        var nonces = new FixedNonceSource(1);
        var manager = new TransactionManager(api, new LocalEthSigner(PrivateKey), 31337, nonces);

        var tx = Assert.IsType<Transaction1559>(await manager.BuildTransactionAsync(new TransactionRequest { To = Vault, Gas = 21_000, MaxFeePerGas = 10, MaxPriorityFeePerGas = 2, Nonce = 9 }));

        Assert.Equal(new BigInteger(9), tx.Nonce);
        Assert.Equal(new BigInteger(21_000), tx.GasLimit);
        Assert.Equal(new BigInteger(10), tx.MaxFeePerGas);
        Assert.Empty(api.Estimates);
        Assert.Equal(0, nonces.Calls);
    }

    [Fact]
    public async Task Default_nonce_source_asks_the_node_for_the_pending_count()
    {
        var api = new FakeEthApi { PendingNonce = 13 };
        var manager = new TransactionManager(api, new LocalEthSigner(PrivateKey), 31337);

        var tx = await manager.BuildTransactionAsync(new TransactionRequest { To = Vault });

        Assert.Equal(new BigInteger(13), tx.Nonce);
    }

    [Fact]
    public async Task Send_broadcasts_the_signed_bytes_and_returns_the_transaction_hash()
    {
        var api = new FakeEthApi();
        var manager = new TransactionManager(api, new LocalEthSigner(PrivateKey), 31337);

        var hash = await manager.SendTransactionAsync(new TransactionRequest { To = Vault, Value = 1 });

        var sent = TransactionFactory.CreateTransaction(Assert.Single(api.SentRawTransactions));
        Assert.Equal(sent.TransactionHash, hash);
    }

    [Fact]
    public async Task Rebroadcast_of_an_already_known_transaction_returns_its_hash()
    {
        var api = new FakeEthApi { OnSendRaw = _ => throw new RpcException(RpcErrorKind.AlreadyKnown, "eth_sendRawTransaction", -32000, "already known", null) };
        var manager = new TransactionManager(api, new LocalEthSigner(PrivateKey), 31337);
        var signed = await manager.SignTransactionAsync(new TransactionRequest { To = Vault, Gas = 21_000 });

        Assert.Equal(signed.TransactionHash, await manager.SendRawTransactionAsync(signed));
    }

    [Fact]
    public async Task Nonce_too_low_from_the_node_propagates_as_NonceTooLowException()
    {
        var api = new FakeEthApi { OnSendRaw = _ => throw new NonceTooLowException("eth_sendRawTransaction", -32000, "nonce too low", null) };
        var manager = new TransactionManager(api, new LocalEthSigner(PrivateKey), 31337);

        await Assert.ThrowsAsync<NonceTooLowException>(() => manager.SendTransactionAsync(new TransactionRequest { To = Vault, Gas = 21_000 }));
    }

    [Fact]
    public async Task Signer_whose_signature_recovers_to_another_address_is_rejected()
    {
        var wrong = new MismatchedSigner(new EthECKey(PrivateKey), EthereumAddress.Parse("0x0000000000000000000000000000000000000001"));
        var manager = new TransactionManager(new FakeEthApi(), wrong, 31337);

        await Assert.ThrowsAsync<System.Security.Cryptography.CryptographicException>(() => manager.SignTransactionAsync(new TransactionRequest { To = Vault, Gas = 21_000 }));
    }

    [Fact]
    public async Task Contract_handler_sends_function_message_call_data_to_the_contract()
    {
        var api = new FakeEthApi();
        var manager = new TransactionManager(api, new LocalEthSigner(PrivateKey), 31337);
        var handler = new ContractHandler(Vault, api, manager);
        var deposit = new DepositFunction { Account = Enumerable.Repeat((byte)0xab, 32).ToArray(), Amount = 5, Nonce = 3 };

        await handler.SendRequestAsync(deposit);

        var sent = Assert.IsType<Transaction1559>(TransactionFactory.CreateTransaction(Assert.Single(api.SentRawTransactions)));
        Assert.Equal(Vault, sent.To);
        Assert.Equal(deposit.GetCallData(), sent.Data);
        Assert.Equal(new BigInteger(3), sent.Nonce);
    }

    private sealed class MismatchedSigner(EthECKey key, EthereumAddress claimed) : IEthSigner
    {
        public EthereumAddress Address => claimed;

        public Task<EthECDSASignature> SignHashAsync(byte[] hash, CancellationToken cancellationToken = default) =>
            Task.FromResult(key.SignAndCalculateV(hash));
    }
}
