using System.Numerics;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Settlement;

namespace DepinMarket.Domain.Tests.Settlement;

public sealed class SettlementRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static Payable Owed(string wallet, string tokens, PayoutSource source = PayoutSource.Earnings) =>
        new(Guid.NewGuid(), wallet, TokenAmount.Parse(tokens), source, source == PayoutSource.Withdrawal ? Guid.NewGuid() : null);

    [Fact]
    public void Everything_owed_to_one_wallet_is_one_line_whatever_the_case_of_its_address_and_the_lines_sum_to_the_payables()
    {
        var payables = new[]
        {
            Owed("0xAbC0000000000000000000000000000000000001", "1.5"),
            Owed("0xabc0000000000000000000000000000000000001", "2", PayoutSource.Withdrawal),
            Owed("0x0000000000000000000000000000000000000002", "3"),
        };
        var batch = Assert.Single(PayoutPlan.Cut(payables, 10));
        Assert.Equal(2, batch.Recipients.Count);
        Assert.Equal(TokenAmount.Parse("3.5"), batch.Recipients.Single(r => r.Wallet.EndsWith('1')).Amount);
        Assert.Equal(TokenAmount.Parse("6.5"), batch.Total);
        Assert.Equal(3, batch.Payables.Count);
    }

    [Fact]
    public void Batches_hold_at_most_the_maximum_of_wallets_and_a_wallets_payables_never_straddle_two()
    {
        var payables = Enumerable.Range(1, 25).SelectMany(i => new[]
        {
            Owed($"0x{i:x40}", "1"),
            Owed($"0x{i:x40}", "0.5", PayoutSource.Withdrawal),
        }).ToArray();
        var batches = PayoutPlan.Cut(payables, 10);
        Assert.Equal([10, 10, 5], batches.Select(b => b.Recipients.Count));
        Assert.Equal(TokenAmount.Parse("37.5"), TokenAmount.Sum(batches.Select(b => b.Total)));
        foreach (var wallet in payables.Select(p => p.Wallet).Distinct())
        {
            Assert.Single(batches, b => b.Payables.Any(p => p.Wallet == wallet));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => PayoutPlan.Cut(payables, 0));
    }

    [Theory]
    [InlineData(8, 9)]
    [InlineData(1000, 1125)]
    [InlineData(1001, 1127)]
    [InlineData(0, 1)]
    public void A_replacement_raises_a_fee_by_at_least_an_eighth_rounded_up(long fee, long expected)
    {
        Assert.Equal(new BigInteger(expected), ReplacementFees.Bump(fee));
    }

    [Fact]
    public void A_replacement_takes_the_nodes_suggestion_when_it_is_higher_and_its_cap_is_never_below_its_tip()
    {
        Assert.Equal((new BigInteger(2250), new BigInteger(113)), ReplacementFees.Next(2000, 100, 1000, 10));
        Assert.Equal((new BigInteger(5000), new BigInteger(400)), ReplacementFees.Next(2000, 100, 5000, 400));
        var (cap, tip) = ReplacementFees.Next(100, 100, 0, 900);
        Assert.Equal(900, tip);
        Assert.True(cap >= tip);
    }

    [Fact]
    public void A_batch_moves_only_forward_and_its_chain_id_is_its_uuid_behind_sixteen_zero_bytes()
    {
        var id = Guid.Parse("0190a0b0-c0d0-7e0f-8a1b-2c3d4e5f6a7b");
        var batch = SettlementBatch.Open(id, SettlementBatchKind.Payout, 2, TokenAmount.Parse("3"), Now);
        Assert.Equal("000000000000000000000000000000000190a0b0c0d07e0f8a1b2c3d4e5f6a7b", Convert.ToHexStringLower(batch.ChainId));
        Assert.Throws<InvalidOperationException>(() => batch.Sent());
        batch.AttemptStored();
        Assert.Equal(SettlementBatchStatus.Stored, batch.Status);
        batch.Sent();
        batch.AttemptStored();
        Assert.Equal(SettlementBatchStatus.Sent, batch.Status);
        batch.Confirmed("0xabc", 12, 7, Now);
        Assert.False(batch.IsOpen);
        Assert.Throws<InvalidOperationException>(() => batch.Reverted("0xdef", 13, null, Now));
        Assert.Throws<InvalidOperationException>(() => batch.AttemptStored());
        Assert.Throws<ArgumentException>(() => SettlementBatch.Open(Guid.NewGuid(), SettlementBatchKind.Burn, 1, TokenAmount.Zero, Now));
    }
}
