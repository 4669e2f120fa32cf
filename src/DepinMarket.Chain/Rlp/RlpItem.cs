using System.Numerics;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Rlp;

/// <summary>
/// A decoded (or to-be-encoded) RLP value: either a byte string or a list of items.
/// Plays the role of Nethereum's <c>IRLPElement</c>/<c>RLPCollection</c>, as an immutable tree with value equality
/// so round-trip tests can compare whole structures.
/// </summary>
public abstract class RlpItem : IEquatable<RlpItem>
{
    private protected RlpItem()
    {
    }

    /// <summary>A byte-string item.</summary>
    public static RlpString FromBytes(byte[] bytes) => new(bytes);

    /// <summary>An unsigned integer as its minimal big-endian byte string (zero is the empty string).</summary>
    public static RlpString FromBigInteger(BigInteger value) => new(value.ToBytesForRlpEncoding());

    /// <summary>A list item.</summary>
    public static RlpList List(params RlpItem[] items) => new(items);

    /// <inheritdoc />
    public abstract bool Equals(RlpItem? other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RlpItem other && Equals(other);

    /// <inheritdoc />
    public abstract override int GetHashCode();
}

/// <summary>An RLP byte string.</summary>
public sealed class RlpString : RlpItem
{
    private readonly byte[] _bytes;

    /// <summary>Wraps a copy of <paramref name="bytes"/> so later changes to the caller's array cannot change the item.</summary>
    public RlpString(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        _bytes = (byte[])bytes.Clone();
    }

    /// <summary>The bytes of the string.</summary>
    public ReadOnlySpan<byte> Span => _bytes;

    /// <summary>A copy of the bytes of the string.</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>
    /// The string read as an unsigned integer. Canonical integers have no leading zero byte; one is rejected
    /// (geth does the same), because two encodings of one value would give a transaction two hashes.
    /// </summary>
    public BigInteger ToBigInteger()
    {
        if (_bytes.Length > 0 && _bytes[0] == 0)
        {
            throw new RlpException("Non-canonical integer: leading zero byte.");
        }

        return ((ReadOnlySpan<byte>)_bytes).ToBigIntegerFromBigEndian();
    }

    /// <inheritdoc />
    public override bool Equals(RlpItem? other) => other is RlpString s && _bytes.AsSpan().SequenceEqual(s._bytes);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => _bytes.ToHex(prefix: true);
}

/// <summary>An RLP list.</summary>
public sealed class RlpList : RlpItem
{
    /// <summary>Builds a list of <paramref name="items"/>.</summary>
    public RlpList(IEnumerable<RlpItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items.ToArray();
        if (Items.Any(i => i is null))
        {
            throw new ArgumentException("RLP list items cannot be null.", nameof(items));
        }
    }

    /// <summary>The items of the list.</summary>
    public IReadOnlyList<RlpItem> Items { get; }

    /// <summary>Item <paramref name="index"/>.</summary>
    public RlpItem this[int index] => Items[index];

    /// <summary>Number of items.</summary>
    public int Count => Items.Count;

    /// <inheritdoc />
    public override bool Equals(RlpItem? other) => other is RlpList l && Items.SequenceEqual(l.Items);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(", ", Items) + "]";
}
