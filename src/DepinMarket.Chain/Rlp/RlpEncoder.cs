namespace DepinMarket.Chain.Rlp;

/// <summary>
/// Recursive Length Prefix encoding (Ethereum yellow paper, appendix B).
/// Always produces the one canonical encoding, which is what hashes and signatures are computed over.
/// </summary>
public static class RlpEncoder
{
    private const byte ShortStringOffset = 0x80;
    private const byte ShortListOffset = 0xc0;
    private const int ShortLengthLimit = 56;

    /// <summary>Encodes an item tree.</summary>
    public static byte[] Encode(RlpItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        using var buffer = new MemoryStream();
        Write(buffer, item);
        return buffer.ToArray();
    }

    /// <summary>Encodes a single byte string (Nethereum: <c>RLP.EncodeElement</c>).</summary>
    public static byte[] EncodeElement(byte[] bytes) => Encode(new RlpString(bytes));

    /// <summary>Wraps already-encoded items into a list (Nethereum: <c>RLP.EncodeList</c>).</summary>
    public static byte[] EncodeList(params byte[][] encodedItems)
    {
        ArgumentNullException.ThrowIfNull(encodedItems);
        var payloadLength = encodedItems.Sum(i => i.Length);
        using var buffer = new MemoryStream();
        WriteHeader(buffer, ShortListOffset, payloadLength);
        foreach (var encoded in encodedItems)
        {
            buffer.Write(encoded);
        }

        return buffer.ToArray();
    }

    private static void Write(MemoryStream buffer, RlpItem item)
    {
        switch (item)
        {
            case RlpString s:
                var span = s.Span;
                // A single byte below 0x80 is its own encoding; anything else carries a length prefix.
                if (span.Length == 1 && span[0] < ShortStringOffset)
                {
                    buffer.WriteByte(span[0]);
                }
                else
                {
                    WriteHeader(buffer, ShortStringOffset, span.Length);
                    buffer.Write(span);
                }

                break;
            case RlpList l:
                using (var inner = new MemoryStream())
                {
                    foreach (var child in l.Items)
                    {
                        Write(inner, child);
                    }

                    WriteHeader(buffer, ShortListOffset, (int)inner.Length);
                    inner.Position = 0;
                    inner.CopyTo(buffer);
                }

                break;
            default:
                throw new ArgumentException($"Unknown RLP item type {item.GetType().Name}.", nameof(item));
        }
    }

    private static void WriteHeader(MemoryStream buffer, byte offset, int length)
    {
        if (length < ShortLengthLimit)
        {
            buffer.WriteByte((byte)(offset + length));
            return;
        }

        // Long form: offset + 55 + (number of length bytes), then the length big-endian without leading zeros.
        Span<byte> lengthBytes = stackalloc byte[4];
        lengthBytes[0] = (byte)(length >> 24);
        lengthBytes[1] = (byte)(length >> 16);
        lengthBytes[2] = (byte)(length >> 8);
        lengthBytes[3] = (byte)length;
        var skip = 0;
        while (lengthBytes[skip] == 0)
        {
            skip++;
        }

        buffer.WriteByte((byte)(offset + ShortLengthLimit - 1 + (4 - skip)));
        buffer.Write(lengthBytes[skip..]);
    }
}
