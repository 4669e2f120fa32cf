namespace DepinMarket.Chain.Rpc;

/// <summary>
/// The primary HTTP handler for JSON-RPC clients. Hosted RPC providers sit behind DNS that changes (load balancing,
/// failover); a pooled connection lives forever by default and would keep talking to a retired address, so
/// connections are recycled after <see cref="DefaultPooledConnectionLifetime"/>. Use it with IHttpClientFactory:
/// <c>services.AddHttpClient(name).ConfigurePrimaryHttpMessageHandler(() => RpcHttpMessageHandlerFactory.Create())</c>.
/// </summary>
public static class RpcHttpMessageHandlerFactory
{
    /// <summary>How long a pooled connection is reused before a new one (with a fresh DNS lookup) replaces it.</summary>
    public static readonly TimeSpan DefaultPooledConnectionLifetime = TimeSpan.FromMinutes(2);

    /// <summary>A handler whose connections live at most <paramref name="pooledConnectionLifetime"/> (default 2 minutes).</summary>
    public static SocketsHttpHandler Create(TimeSpan? pooledConnectionLifetime = null) => new()
    {
        PooledConnectionLifetime = pooledConnectionLifetime ?? DefaultPooledConnectionLifetime,
    };
}
