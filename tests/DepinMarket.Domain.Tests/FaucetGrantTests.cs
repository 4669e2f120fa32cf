using DepinMarket.Domain.Faucet;

namespace DepinMarket.Domain.Tests;

public sealed class FaucetGrantTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static FaucetGrant Reserved() => FaucetGrant.Reserve(Guid.NewGuid(), "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 1000, Now);

    [Fact]
    public void A_grant_counts_against_the_cooldown_in_every_state_but_failed()
    {
        var grant = Reserved();
        Assert.True(grant.CountsAgainstCooldown);
        grant.MintSigned("0xabc", "0x02f8");
        Assert.Equal(FaucetGrantStatus.InDoubt, grant.Status);
        Assert.True(grant.CountsAgainstCooldown);

        var confirmed = Reserved();
        confirmed.MintSigned("0xabc", "0x02f8");
        confirmed.Resolved(succeeded: true, Now);
        Assert.Equal(FaucetGrantStatus.Confirmed, confirmed.Status);
        Assert.True(confirmed.CountsAgainstCooldown);

        grant.Resolved(succeeded: false, Now);
        Assert.Equal(FaucetGrantStatus.Failed, grant.Status);
        Assert.False(grant.CountsAgainstCooldown);
        Assert.Equal(Now, grant.ResolvedAt);
    }

    [Fact]
    public void Only_a_reserved_grant_is_signed_and_only_one_in_doubt_is_resolved()
    {
        var grant = Reserved();
        Assert.Throws<InvalidOperationException>(() => grant.Resolved(succeeded: true, Now));
        grant.MintSigned("0xabc", "0x02f8");
        Assert.Throws<InvalidOperationException>(() => grant.MintSigned("0xdef", "0x02f9"));
        grant.Resolved(succeeded: true, Now);
        Assert.Throws<InvalidOperationException>(() => grant.Resolved(succeeded: false, Now));
        Assert.Equal("0xabc", grant.TransactionHash);
    }
}
