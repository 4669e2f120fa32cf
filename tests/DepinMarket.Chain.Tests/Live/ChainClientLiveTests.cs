using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Signing;
using DepinMarket.Chain.TransactionManagement;
using DepinMarket.Chain.Transactions;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Live;

/// <summary>
/// Transaction plumbing against a real anvil: confirmations, receipt timeouts, nonce errors, fees, message signing.
/// anvil mines one block per transaction; extra blocks come from anvil_mine.
/// </summary>
[Collection(AnvilTestGroup.Name)]
public class ChainClientLiveTests(AnvilNode node)
{
    private const int Sender = 3;

    [Fact]
    public async Task Chain_id_of_the_node_is_the_configured_one()
    {
        var chain = node.Client(account: null);

        await chain.VerifyChainIdAsync();

        Assert.Equal(AnvilNode.ChainId, await chain.Eth.ChainIdAsync());
    }

    [Fact]
    public async Task Waiting_for_three_confirmations_returns_only_after_two_more_blocks()
    {
        var chain = node.Client(Sender, confirmations: 3);
        var hash = await chain.TransactionManager!.SendTransactionAsync(Transfer(RandomAddress(), 1));
        var mined = await node.Client(account: null).WaitForReceiptAsync(hash);

        var waiting = chain.WaitForReceiptAsync(hash);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted, "one confirmation is not three");
        await node.MineAsync(1);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted, "two confirmations are not three");
        await node.MineAsync(1);
        var receipt = await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(hash, receipt.TransactionHash);
        Assert.Equal(mined.BlockNumber, receipt.BlockNumber);
        Assert.Equal(mined.BlockNumber + 2, await chain.Eth.BlockNumberAsync());
        Assert.True(receipt.Succeeded());
    }

    [Fact]
    public async Task Waiting_for_confirmations_that_never_come_times_out_with_the_mined_receipt()
    {
        var chain = node.Client(Sender, confirmations: 3, receiptTimeout: TimeSpan.FromMilliseconds(400));
        var hash = await chain.TransactionManager!.SendTransactionAsync(Transfer(RandomAddress(), 1));

        var ex = await Assert.ThrowsAsync<TransactionReceiptTimeoutException>(() => chain.WaitForReceiptAsync(hash));

        Assert.Equal(hash, ex.TransactionHash);
        Assert.Equal(3, ex.ConfirmationsRequired);
        Assert.Equal(BigInteger.One, ex.ConfirmationsSeen);
        Assert.NotNull(ex.LastReceipt);
        Assert.True(ex.LastReceipt.Succeeded());
    }

    [Fact]
    public async Task Waiting_for_a_transaction_that_is_never_mined_times_out_without_a_receipt()
    {
        var chain = node.Client(Sender, receiptTimeout: TimeSpan.FromMilliseconds(300));
        await node.Rpc.SendRequestAsync<JsonElement>("evm_setAutomine", CancellationToken.None, false);
        try
        {
            var hash = await chain.TransactionManager!.SendTransactionAsync(Transfer(RandomAddress(), 1));

            var ex = await Assert.ThrowsAsync<TransactionReceiptTimeoutException>(() => chain.WaitForReceiptAsync(hash));

            Assert.Null(ex.LastReceipt);
            Assert.Equal(BigInteger.Zero, ex.ConfirmationsSeen);
            await node.MineAsync(1);
            Assert.True((await chain.WaitForReceiptAsync(hash)).Succeeded());
        }
        finally
        {
            await node.Rpc.SendRequestAsync<JsonElement>("evm_setAutomine", CancellationToken.None, true);
        }
    }

    [Fact]
    public async Task Sending_with_a_used_nonce_throws_NonceTooLowException()
    {
        var chain = node.Client(Sender);
        var manager = chain.TransactionManager!;
        var first = await manager.SendTransactionAsync(Transfer(RandomAddress(), 1));
        await chain.WaitForReceiptAsync(first);
        var used = await chain.Eth.GetTransactionCountAsync(manager.Account.ToString(), BlockParameter.Latest) - 1;

        var ex = await Assert.ThrowsAsync<NonceTooLowException>(() => manager.SendTransactionAsync(Transfer(RandomAddress(), 2) with { Nonce = used }));

        Assert.Equal(RpcErrorKind.NonceTooLow, ex.Kind);
        Assert.Equal("eth_sendRawTransaction", ex.Method);
    }

    [Fact]
    public async Task Rebroadcasting_the_same_signed_bytes_while_pending_returns_the_same_hash()
    {
        var chain = node.Client(Sender);
        var manager = chain.TransactionManager!;
        await node.Rpc.SendRequestAsync<JsonElement>("evm_setAutomine", CancellationToken.None, false);
        try
        {
            var signed = await manager.SignTransactionAsync(Transfer(RandomAddress(), 1));

            var first = await manager.SendRawTransactionAsync(signed);
            var again = await manager.SendRawTransactionAsync(signed);

            Assert.Equal(signed.TransactionHash, first);
            Assert.Equal(first, again);
            await node.MineAsync(1);
            Assert.True((await chain.WaitForReceiptAsync(first)).Succeeded());
        }
        finally
        {
            await node.Rpc.SendRequestAsync<JsonElement>("evm_setAutomine", CancellationToken.None, true);
        }
    }

    [Fact]
    public async Task A_transaction_is_found_by_hash_while_pending_and_once_mined_and_not_after_the_node_dropped_it()
    {
        var chain = node.Client(Sender);
        var manager = chain.TransactionManager!;
        await node.Rpc.SendRequestAsync<JsonElement>("evm_setAutomine", CancellationToken.None, false);
        try
        {
            var dropped = await manager.SignTransactionAsync(Transfer(RandomAddress(), 1));
            await manager.SendRawTransactionAsync(dropped);
            var pending = await chain.Eth.GetTransactionByHashAsync(dropped.TransactionHash);
            Assert.NotNull(pending);
            Assert.True(pending.IsPending);
            Assert.Equal(dropped.Nonce, pending.Nonce);
            Assert.Equal(manager.Account, EthereumAddress.Parse(pending.From));

            await node.Rpc.SendRequestAsync<JsonElement>("anvil_dropTransaction", CancellationToken.None, dropped.TransactionHash);
            Assert.Null(await chain.Eth.GetTransactionByHashAsync(dropped.TransactionHash));

            var mined = await manager.SendTransactionAsync(Transfer(RandomAddress(), 2));
            await node.MineAsync(1);
            var found = await chain.Eth.GetTransactionByHashAsync(mined);
            Assert.NotNull(found);
            Assert.False(found.IsPending);
            Assert.Equal((await chain.WaitForReceiptAsync(mined)).BlockNumber, found.BlockNumber);
        }
        finally
        {
            await node.Rpc.SendRequestAsync<JsonElement>("evm_setAutomine", CancellationToken.None, true);
        }
    }

    [Fact]
    public async Task Replacing_a_pending_transaction_needs_higher_fees_and_ForReplacement_gets_it_mined()
    {
        var chain = node.Client(Sender);
        var manager = chain.TransactionManager!;
        await node.Rpc.SendRequestAsync<JsonElement>("evm_setAutomine", CancellationToken.None, false);
        try
        {
            var stuck = Assert.IsType<Transaction1559>(await manager.SignTransactionAsync(Transfer(RandomAddress(), 1)));
            await manager.SendRawTransactionAsync(stuck);
            var stuckFee = new Fee1559(stuck.MaxFeePerGas, stuck.MaxPriorityFeePerGas);
            var sameFees = Transfer(RandomAddress(), 2) with { Nonce = stuck.Nonce, MaxFeePerGas = stuckFee.MaxFeePerGas, MaxPriorityFeePerGas = stuckFee.MaxPriorityFeePerGas };

            var ex = await Assert.ThrowsAsync<ReplacementUnderpricedException>(() => manager.SendTransactionAsync(sameFees));

            Assert.Equal(RpcErrorKind.ReplacementUnderpriced, ex.Kind);
            var bumped = Fee1559.ForReplacement(stuckFee, await manager.Fee1559SuggestionStrategy.SuggestFeeAsync());
            var replacement = await manager.SendTransactionAsync(sameFees with { MaxFeePerGas = bumped.MaxFeePerGas, MaxPriorityFeePerGas = bumped.MaxPriorityFeePerGas });
            await node.MineAsync(1);
            Assert.True((await chain.WaitForReceiptAsync(replacement)).Succeeded());
            Assert.Null(await chain.Eth.GetTransactionReceiptAsync(stuck.TransactionHash));
        }
        finally
        {
            await node.Rpc.SendRequestAsync<JsonElement>("evm_setAutomine", CancellationToken.None, true);
        }
    }

    [Fact]
    public async Task Rebroadcasting_a_mined_transaction_is_refused_as_nonce_too_low_so_recovery_must_look_up_the_receipt()
    {
        var chain = node.Client(Sender);
        var manager = chain.TransactionManager!;
        var signed = await manager.SignTransactionAsync(Transfer(RandomAddress(), 1));
        var hash = await manager.SendRawTransactionAsync(signed);
        await chain.WaitForReceiptAsync(hash);

        await Assert.ThrowsAsync<NonceTooLowException>(() => manager.SendRawTransactionAsync(signed));

        Assert.NotNull(await chain.Eth.GetTransactionReceiptAsync(hash));
    }

    [Fact]
    public async Task Sending_from_an_account_without_ether_throws_InsufficientFundsException()
    {
        using var http = new HttpClient();
        var chain = new ChainClient(http, node.Options(), new LocalEthSigner(EthECKey.GenerateKey()));

        var ex = await Assert.ThrowsAsync<InsufficientFundsException>(() => chain.TransactionManager!.SendTransactionAsync(Transfer(RandomAddress(), 1)));

        Assert.Equal(RpcErrorKind.InsufficientFunds, ex.Kind);
    }

    [Fact]
    public async Task Fee_suggestion_from_the_node_gives_a_max_fee_at_least_the_base_fee_and_gets_mined()
    {
        var chain = node.Client(Sender);
        var strategy = new FeeHistoryFee1559SuggestionStrategy(chain.Eth, node.Options());
        var latest = await chain.Eth.GetBlockByNumberAsync(BlockParameter.Latest);

        var fee = await strategy.SuggestFeeAsync();

        Assert.NotNull(latest?.BaseFeePerGas);
        Assert.NotNull(fee.BaseFee);
        Assert.True(fee.BaseFee > 0);
        Assert.True(fee.MaxFeePerGas >= fee.BaseFee + fee.MaxPriorityFeePerGas);
        Assert.True(fee.MaxFeePerGas >= latest.BaseFeePerGas);
        Assert.True(fee.MaxPriorityFeePerGas > 0);

        var hash = await chain.TransactionManager!.SendTransactionAsync(Transfer(RandomAddress(), 1) with { MaxFeePerGas = fee.MaxFeePerGas, MaxPriorityFeePerGas = fee.MaxPriorityFeePerGas });
        var receipt = await chain.WaitForReceiptAsync(hash);
        var block = await chain.Eth.GetBlockByNumberAsync(BlockParameter.FromNumber(receipt.BlockNumber));
        Assert.True(receipt.Succeeded());
        Assert.Equal(2, receipt.Type);
        Assert.True(receipt.EffectiveGasPrice <= fee.MaxFeePerGas);
        Assert.True(block!.BaseFeePerGas <= fee.MaxFeePerGas);
    }

    [Fact]
    public async Task Request_with_GasPrice_is_mined_as_a_legacy_transaction_paying_exactly_that_price()
    {
        var chain = node.Client(Sender);
        var latest = await chain.Eth.GetBlockByNumberAsync(BlockParameter.Latest);
        // Comfortably above anvil's base fee (1 gwei at most, falling on empty blocks) so the price is paid as given.
        var gasPrice = (latest!.BaseFeePerGas!.Value * 3) + 7;
        var to = RandomAddress();

        var hash = await chain.TransactionManager!.SendTransactionAsync(Transfer(to, 5) with { GasPrice = gasPrice });
        var receipt = await chain.WaitForReceiptAsync(hash);

        Assert.True(receipt.Succeeded());
        Assert.Equal(BigInteger.Zero, receipt.Type);
        Assert.Equal(gasPrice, receipt.EffectiveGasPrice);
        var mined = await node.Rpc.SendRequestAsync<JsonElement>("eth_getTransactionByHash", CancellationToken.None, hash);
        Assert.Equal(gasPrice, mined.GetProperty("gasPrice").GetString()!.HexToBigInteger());
        Assert.Equal(new BigInteger(5), await chain.Eth.GetBalanceAsync(to.ToString()));
    }

    [Fact]
    public async Task Personal_sign_recovers_to_the_signer_and_equals_the_node_eth_sign()
    {
        var signer = AnvilNode.Signer(Sender);
        const string message = "DepinMarket login: nonce 42 ✓";

        var signature = await signer.SignMessageAsync(message);

        Assert.Equal(signer.Address.ToString(), EthereumMessageSigner.Current.EncodeUTF8AndEcRecover(message, signature));
        Assert.True(EthereumMessageSigner.IsValidSignature(message, signature, signer.Address));
        Assert.False(EthereumMessageSigner.IsValidSignature(message + ".", signature, signer.Address));
        // anvil holds the dev keys and signs with them; RFC 6979 makes both signatures deterministic, so they are equal.
        var nodeSignature = await node.Rpc.SendRequestAsync<string>(
            "eth_sign", CancellationToken.None, signer.Address.ToString(), Encoding.UTF8.GetBytes(message).ToHex(prefix: true));
        Assert.Equal(signature, nodeSignature, ignoreCase: true);
    }

    [Fact]
    public async Task Deployment_with_three_confirmations_waits_for_the_blocks_on_top()
    {
        var chain = node.Client(0, confirmations: 3);
        var deploying = MarketContracts.DeployAsync(chain, AnvilNode.Account(0), AnvilNode.Account(1), CancellationToken.None);

        // Mine until both deployments have their confirmations: token, 2 blocks, vault, 2 blocks.
        for (var i = 0; i < 20 && !deploying.IsCompleted; i++)
        {
            await Task.Delay(50);
            await node.MineAsync(1);
        }

        var deployed = await deploying.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(await MarketContracts.IsDeployedAsync(chain, deployed, CancellationToken.None));
        Assert.True(await chain.Eth.BlockNumberAsync() >= deployed.DeployedAtBlock + 4);
    }

    private static TransactionRequest Transfer(EthereumAddress to, BigInteger wei) => new() { To = to, Value = wei };

    private static EthereumAddress RandomAddress() => new(RandomNumberGenerator.GetBytes(20));
}
