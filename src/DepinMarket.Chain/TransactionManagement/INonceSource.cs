using System.Numerics;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.TransactionManagement;

/// <summary>
/// Where the next nonce comes from. The default asks the node; the settlement worker will keep nonces in PostgreSQL
/// so that a crash between signing and broadcasting cannot hand the same nonce to two different payouts.
/// </summary>
public interface INonceSource
{
    /// <summary>The nonce to use for the next transaction from <paramref name="address"/>.</summary>
    Task<BigInteger> GetNextNonceAsync(EthereumAddress address, CancellationToken cancellationToken = default);
}

/// <summary>Asks the node for the pending transaction count (eth_getTransactionCount with "pending").</summary>
public sealed class PendingNonceSource : INonceSource
{
    private readonly IEthApi _api;

    public PendingNonceSource(IEthApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        _api = api;
    }

    /// <inheritdoc />
    public Task<BigInteger> GetNextNonceAsync(EthereumAddress address, CancellationToken cancellationToken = default) =>
        _api.GetTransactionCountAsync(address.ToString(), BlockParameter.Pending, cancellationToken);
}
