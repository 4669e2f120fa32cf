using System.Numerics;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Tests.TransactionManagement;
using DepinMarket.Chain.TransactionManagement;
using DepinMarket.Chain.Transactions;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Contracts;

/// <summary>
/// The contract handler works through the interfaces, so a test can stand in for signing, broadcasting and receipts
/// (the settlement worker's tests will do this to simulate crashes and refusals).
/// </summary>
public class FakeTransactionManagerTests
{
    private static readonly EthereumAddress Vault = EthereumAddress.Parse("0x3c73B1F2a2bbC1Bb9E13a66ba789E20063cA28e9");

    [Fact]
    public async Task Contract_handler_hands_the_request_to_the_transaction_manager_and_waits_with_the_receipt_service()
    {
        var manager = new RecordingTransactionManager();
        var receipts = new ScriptedReceipts();
        var handler = new ContractHandler(Vault, new FakeEthApi(), manager, receipts);
        var payout = new PayoutFunction { BatchId = new byte[32], Recipients = [Vault.ToString()], Amounts = [5], Gas = 80_000 };

        var receipt = await handler.SendRequestAndWaitForReceiptAsync(payout);

        var request = Assert.Single(manager.Sent);
        Assert.Equal(Vault, request.To);
        Assert.Equal(payout.GetCallData(), request.Data);
        Assert.Equal(new BigInteger(80_000), request.Gas);
        Assert.Equal(["0xfeed"], receipts.Awaited);
        Assert.Equal("0xfeed", receipt.TransactionHash);
    }

    [Fact]
    public async Task Without_its_own_receipt_service_the_handler_uses_the_managers()
    {
        var manager = new RecordingTransactionManager();
        var handler = new ContractHandler(Vault, new FakeEthApi(), manager);

        await handler.SendRequestAndWaitForReceiptAsync(new BurnFeesFunction { BatchId = new byte[32], Amount = 1 });

        Assert.Equal(["0xfeed"], ((ScriptedReceipts)manager.TransactionReceiptService).Awaited);
    }

    private sealed class ScriptedReceipts : ITransactionReceiptService
    {
        public List<string> Awaited { get; } = [];

        public int ConfirmationDepth => 1;

        public TimeSpan Timeout => TimeSpan.FromSeconds(1);

        public Task<TransactionReceipt> PollForReceiptAsync(string transactionHash, CancellationToken cancellationToken = default) =>
            PollForReceiptAsync(transactionHash, ConfirmationDepth, Timeout, cancellationToken);

        public Task<TransactionReceipt> PollForReceiptAsync(string transactionHash, int confirmations, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            Awaited.Add(transactionHash);
            return Task.FromResult(new TransactionReceipt { TransactionHash = transactionHash, Status = 1 });
        }
    }

    private sealed class RecordingTransactionManager : ITransactionManager
    {
        public List<TransactionRequest> Sent { get; } = [];

        public EthereumAddress Account => EthereumAddress.Parse("0x0000000000000000000000000000000000000001");

        public BigInteger ChainId => 31337;

        public INonceSource NonceSource => throw new NotSupportedException();

        public IFee1559SuggestionStrategy Fee1559SuggestionStrategy => throw new NotSupportedException();

        public ITransactionReceiptService TransactionReceiptService { get; } = new ScriptedReceipts();

        public Task<string> SendTransactionAsync(TransactionRequest request, CancellationToken cancellationToken = default)
        {
            Sent.Add(request);
            return Task.FromResult("0xfeed");
        }

        public Task<BigInteger> EstimateGasAsync(TransactionRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SignedTransaction> BuildTransactionAsync(TransactionRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SignedTransaction> SignTransactionAsync(TransactionRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<string> SendRawTransactionAsync(SignedTransaction signedTransaction, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<TransactionReceipt> SendTransactionAndWaitForReceiptAsync(TransactionRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<TransactionReceipt> DeployContractAndWaitForReceiptAsync<TDeployment>(TDeployment deployment, CancellationToken cancellationToken = default)
            where TDeployment : ContractDeploymentMessage => throw new NotSupportedException();
    }
}
