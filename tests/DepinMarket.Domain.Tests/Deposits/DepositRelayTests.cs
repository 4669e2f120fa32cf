using DepinMarket.Domain.Deposits;

namespace DepinMarket.Domain.Tests.Deposits;

public sealed class DepositRelayTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static DepositRelay Signed() =>
        DepositRelay.Sign(Guid.NewGuid(), "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 10, 0, 1_767_229_200, "0xab", "0x02f8", Now);

    [Fact]
    public void A_dropped_relay_is_settled_and_no_longer_holds_its_permit()
    {
        var relay = Signed();
        relay.Broadcast();

        relay.Dropped(Now.AddMinutes(1));

        Assert.Equal(DepositRelayStatus.Dropped, relay.Status);
        Assert.Equal(Now.AddMinutes(1), relay.ResolvedAt);
        Assert.False(relay.IsOpen);
        Assert.False(relay.HoldsPermit);
        Assert.Throws<InvalidOperationException>(() => relay.Resolved(true, Now.AddMinutes(2)));
    }

    [Fact]
    public void Open_and_mined_relays_hold_their_permit_and_reverted_ones_do_not()
    {
        var open = Signed();
        var mined = Signed();
        mined.Resolved(true, Now);
        var reverted = Signed();
        reverted.Resolved(false, Now);

        Assert.True(open.HoldsPermit);
        Assert.True(mined.HoldsPermit);
        Assert.False(reverted.HoldsPermit);
        Assert.Equal([DepositRelayStatus.InDoubt, DepositRelayStatus.Relayed, DepositRelayStatus.Mined],
            Enum.GetValues<DepositRelayStatus>().Where(s => DepositRelay.PermitHoldingStatuses.Contains(s)));
        Assert.Throws<InvalidOperationException>(() => mined.Dropped(Now));
    }
}
