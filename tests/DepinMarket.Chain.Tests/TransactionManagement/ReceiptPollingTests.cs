using System.Numerics;
using DepinMarket.Chain.Rpc;

namespace DepinMarket.Chain.Tests.TransactionManagement;

public class ReceiptPollingTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    [Fact]
    public async Task Returns_the_receipt_once_it_appears_with_one_confirmation()
    {
        var calls = 0;
        var api = new FakeEthApi { Receipts = _ => ++calls < 3 ? null : new TransactionReceipt { TransactionHash = "0xaa", BlockNumber = 100, Status = 1 } };
        var service = new TransactionReceiptPollingService(api, Tick);

        var receipt = await service.PollForReceiptAsync("0xaa", confirmations: 1, TimeSpan.FromSeconds(10));

        Assert.True(receipt.Succeeded());
        Assert.Equal(3, api.ReceiptCalls);
    }

    [Fact]
    public async Task Waits_until_the_head_is_deep_enough_for_the_requested_confirmations()
    {
        var api = new FakeEthApi { Head = 100 };
        api.Receipts = _ =>
        {
            api.Head += 1; // a block arrives between polls
            return new TransactionReceipt { TransactionHash = "0xaa", BlockNumber = 100, Status = 1 };
        };
        var service = new TransactionReceiptPollingService(api, Tick);

        var receipt = await service.PollForReceiptAsync("0xaa", confirmations: 5, TimeSpan.FromSeconds(10));

        // Mined in block 100; 5 confirmations means the head reached block 104.
        Assert.Equal(new BigInteger(100), receipt.BlockNumber);
        Assert.True(api.Head >= 104);
        Assert.Equal(4, api.ReceiptCalls);
    }

    [Fact]
    public async Task Times_out_with_a_typed_exception_when_never_mined()
    {
        var service = new TransactionReceiptPollingService(new FakeEthApi(), Tick);

        var ex = await Assert.ThrowsAsync<TransactionReceiptTimeoutException>(() => service.PollForReceiptAsync("0xaa", 1, TimeSpan.FromMilliseconds(60)));

        Assert.Equal("0xaa", ex.TransactionHash);
        Assert.Null(ex.LastReceipt);
        Assert.IsAssignableFrom<TimeoutException>(ex);
    }

    [Fact]
    public async Task Times_out_reporting_the_receipt_when_mined_but_not_deep_enough()
    {
        var api = new FakeEthApi { Head = 100, Receipts = _ => new TransactionReceipt { TransactionHash = "0xaa", BlockNumber = 100, Status = 1 } };
        var service = new TransactionReceiptPollingService(api, Tick);

        var ex = await Assert.ThrowsAsync<TransactionReceiptTimeoutException>(() => service.PollForReceiptAsync("0xaa", 3, TimeSpan.FromMilliseconds(60)));

        Assert.NotNull(ex.LastReceipt);
        Assert.Equal(BigInteger.One, ex.ConfirmationsSeen);
    }

    [Fact]
    public async Task Caller_cancellation_stops_polling()
    {
        var service = new TransactionReceiptPollingService(new FakeEthApi(), Tick);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(30));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.PollForReceiptAsync("0xaa", 1, TimeSpan.FromMinutes(1), cts.Token));
    }
}
