namespace DepinMarket.Chain.Rlp;

/// <summary>
/// Strict RLP decoder: accepts only the canonical encoding. Signed transactions are identified by the hash of
/// their bytes, so accepting a second spelling of the same content would let one payment appear under two hashes.
/// Rejects: single bytes below 0x80 wrapped in a prefix, long-form lengths under 56, lengths with leading zeros,
/// truncated input, list payloads that do not parse exactly, and trailing bytes.
/// </summary>
public static class RlpDecoder
{
    /// <summary>Decodes exactly one item that spans the whole input.</summary>
    public static RlpItem Decode(ReadOnlySpan<byte> input)
    {
        var position = 0;
        var item = ReadItem(input, ref position);
        if (position != input.Length)
        {
            throw new RlpException($"Trailing bytes after the RLP item: {input.Length - position} byte(s) left.");
        }

        return item;
    }

    /// <summary>Decodes input that must be a list.</summary>
    public static RlpList DecodeList(ReadOnlySpan<byte> input) =>
        Decode(input) as RlpList ?? throw new RlpException("Expected an RLP list, found a byte string.");

    private static RlpItem ReadItem(ReadOnlySpan<byte> input, ref int position)
    {
        if (position >= input.Length)
        {
            throw new RlpException("Unexpected end of RLP input.");
        }

        var prefix = input[position];
        if (prefix < 0x80)
        {
            position++;
            return new RlpString([prefix]);
        }

        if (prefix <= 0xb7)
        {
            var length = prefix - 0x80;
            var payload = Take(input, position + 1, length);
            if (length == 1 && payload[0] < 0x80)
            {
                throw new RlpException("Non-canonical RLP: a single byte below 0x80 must encode as itself.");
            }

            position += 1 + length;
            return new RlpString(payload.ToArray());
        }

        if (prefix <= 0xbf)
        {
            var lengthOfLength = prefix - 0xb7;
            var length = ReadLongLength(input, position + 1, lengthOfLength);
            var payload = Take(input, position + 1 + lengthOfLength, length);
            position += 1 + lengthOfLength + length;
            return new RlpString(payload.ToArray());
        }

        if (prefix <= 0xf7)
        {
            var length = prefix - 0xc0;
            var payload = Take(input, position + 1, length);
            position += 1 + length;
            return ReadListPayload(payload);
        }

        {
            var lengthOfLength = prefix - 0xf7;
            var length = ReadLongLength(input, position + 1, lengthOfLength);
            var payload = Take(input, position + 1 + lengthOfLength, length);
            position += 1 + lengthOfLength + length;
            return ReadListPayload(payload);
        }
    }

    private static RlpList ReadListPayload(ReadOnlySpan<byte> payload)
    {
        var items = new List<RlpItem>();
        var position = 0;
        while (position < payload.Length)
        {
            // An item that claims more bytes than the list payload holds is caught by Take inside ReadItem.
            items.Add(ReadItem(payload, ref position));
        }

        return new RlpList(items);
    }

    private static int ReadLongLength(ReadOnlySpan<byte> input, int start, int lengthOfLength)
    {
        // Four bytes of length already mean 4 GiB, far beyond anything a node would accept.
        if (lengthOfLength > 4)
        {
            throw new RlpException($"RLP length of {lengthOfLength} bytes is too large.");
        }

        var lengthBytes = Take(input, start, lengthOfLength);
        if (lengthBytes[0] == 0)
        {
            throw new RlpException("Non-canonical RLP: length has a leading zero byte.");
        }

        long length = 0;
        foreach (var b in lengthBytes)
        {
            length = (length << 8) | b;
        }

        if (length < 56)
        {
            throw new RlpException("Non-canonical RLP: long form used for a length below 56.");
        }

        if (length > int.MaxValue)
        {
            throw new RlpException("RLP length is too large.");
        }

        return (int)length;
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> input, int start, int length)
    {
        if (length < 0 || start > input.Length || input.Length - start < length)
        {
            throw new RlpException($"RLP item claims {length} byte(s) but the input is shorter.");
        }

        return input.Slice(start, length);
    }
}
