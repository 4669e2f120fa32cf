using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Transactions;

/// <summary>
/// One EIP-2930 access-list entry: a contract address and the storage slots the transaction will touch.
/// Named after Nethereum's <c>AccessListItem</c>.
/// </summary>
public sealed class AccessListItem
{
    /// <summary>Creates an entry; every storage key must be 32 bytes.</summary>
    public AccessListItem(EthereumAddress address, IEnumerable<byte[]> storageKeys)
    {
        ArgumentNullException.ThrowIfNull(storageKeys);
        Address = address;
        StorageKeys = storageKeys.Select(k => k.Length == 32
            ? (byte[])k.Clone()
            : throw new ArgumentException("Storage keys are 32 bytes.", nameof(storageKeys))).ToArray();
    }

    /// <summary>The contract whose storage is pre-declared.</summary>
    public EthereumAddress Address { get; }

    /// <summary>32-byte storage slot keys.</summary>
    public IReadOnlyList<byte[]> StorageKeys { get; }
}
