using DepinMarket.Chain.Rpc;

namespace DepinMarket.Chain.Tests.Rpc;

public class RpcHttpMessageHandlerFactoryTests
{
    [Fact]
    public void Pooled_connections_are_recycled_after_two_minutes_so_dns_changes_of_a_provider_are_seen()
    {
        using var handler = RpcHttpMessageHandlerFactory.Create();

        // A plain SocketsHttpHandler keeps connections forever (Timeout.InfiniteTimeSpan).
        Assert.Equal(TimeSpan.FromMinutes(2), handler.PooledConnectionLifetime);
    }

    [Fact]
    public void A_chosen_lifetime_is_used()
    {
        using var handler = RpcHttpMessageHandlerFactory.Create(TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(30), handler.PooledConnectionLifetime);
    }
}
