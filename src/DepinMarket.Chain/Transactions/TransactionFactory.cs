using System.Numerics;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rlp;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Transactions;

/// <summary>
/// Decodes a signed raw transaction (what <c>eth_sendRawTransaction</c> takes) back into its fields.
/// Named after Nethereum's <c>TransactionFactory.CreateTransaction</c>. Strict: non-canonical RLP, non-minimal
/// integers, malformed addresses, unknown types and high-s signatures are all rejected with <see cref="RlpException"/>,
/// so a stored raw transaction decodes to exactly one meaning and one hash.
/// </summary>
public static class TransactionFactory
{
    private static readonly BigInteger HalfN = Crypto.Secp256k1.Order >> 1;

    /// <summary>Decodes a signed transaction from hex.</summary>
    public static SignedTransaction CreateTransaction(string rawTransactionHex) =>
        CreateTransaction(rawTransactionHex.HexToByteArray());

    /// <summary>Decodes a signed transaction from bytes.</summary>
    public static SignedTransaction CreateTransaction(byte[] rawTransaction)
    {
        ArgumentNullException.ThrowIfNull(rawTransaction);
        if (rawTransaction.Length == 0)
        {
            throw new RlpException("Empty transaction.");
        }

        var first = rawTransaction[0];
        if (first >= 0xc0)
        {
            return DecodeLegacy(RlpDecoder.DecodeList(rawTransaction));
        }

        if (first == Transaction1559.TypeByte)
        {
            return Decode1559(RlpDecoder.DecodeList(rawTransaction.AsSpan(1)));
        }

        throw new RlpException($"Unsupported transaction type 0x{first:x2}.");
    }

    private static Transaction1559 Decode1559(RlpList list)
    {
        if (list.Count != 12)
        {
            throw new RlpException($"A signed EIP-1559 transaction has 12 fields; found {list.Count}.");
        }

        var yParity = Integer(list[9], "yParity");
        if (yParity > 1)
        {
            throw new RlpException("yParity must be 0 or 1.");
        }

        return new Transaction1559
        {
            ChainId = Integer(list[0], "chainId"),
            Nonce = Integer(list[1], "nonce"),
            MaxPriorityFeePerGas = Integer(list[2], "maxPriorityFeePerGas"),
            MaxFeePerGas = Integer(list[3], "maxFeePerGas"),
            GasLimit = Integer(list[4], "gasLimit"),
            To = Recipient(list[5]),
            Value = Integer(list[6], "value"),
            Data = Bytes(list[7], "data"),
            AccessList = AccessList(list[8]),
            Signature = Signature(list[10], list[11], (int)yParity),
        };
    }

    private static LegacyTransactionChainId DecodeLegacy(RlpList list)
    {
        if (list.Count != 9)
        {
            throw new RlpException($"A signed legacy transaction has 9 fields; found {list.Count}.");
        }

        var v = Integer(list[6], "v");
        BigInteger? chainId;
        int recoveryId;
        if (v == 27 || v == 28)
        {
            chainId = null;
            recoveryId = (int)(v - 27);
        }
        else if (v >= 35)
        {
            chainId = (v - 35) / 2;
            recoveryId = (int)((v - 35) % 2);
        }
        else
        {
            throw new RlpException($"Legacy transaction v={v} is neither 27/28 nor EIP-155.");
        }

        return new LegacyTransactionChainId
        {
            Nonce = Integer(list[0], "nonce"),
            GasPrice = Integer(list[1], "gasPrice"),
            GasLimit = Integer(list[2], "gasLimit"),
            To = Recipient(list[3]),
            Value = Integer(list[4], "value"),
            Data = Bytes(list[5], "data"),
            ChainId = chainId,
            Signature = Signature(list[7], list[8], recoveryId),
        };
    }

    private static EthECDSASignature Signature(RlpItem rItem, RlpItem sItem, int recoveryId)
    {
        var r = Integer(rItem, "r");
        var s = Integer(sItem, "s");
        if (r.IsZero || s.IsZero || r.GetByteCount(isUnsigned: true) > 32)
        {
            throw new RlpException("Signature r or s is out of range.");
        }

        if (s > HalfN)
        {
            throw new RlpException("Signature s is in the upper half of the curve order (EIP-2 forbids it).");
        }

        try
        {
            return new EthECDSASignature(r, s, recoveryId);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new RlpException("Signature r or s is out of range.", ex);
        }
    }

    private static List<AccessListItem> AccessList(RlpItem item)
    {
        if (item is not RlpList list)
        {
            throw new RlpException("The access list must be an RLP list.");
        }

        var result = new List<AccessListItem>(list.Count);
        foreach (var entry in list.Items)
        {
            if (entry is not RlpList { Count: 2 } pair || pair[0] is not RlpString address || address.Span.Length != 20 || pair[1] is not RlpList keys)
            {
                throw new RlpException("An access list entry is [address, [storageKeys]].");
            }

            var storageKeys = keys.Items.Select(k => k is RlpString { Span.Length: 32 } key
                ? key.ToArray()
                : throw new RlpException("Access list storage keys are 32 bytes.")).ToList();
            result.Add(new AccessListItem(new EthereumAddress(address.Span), storageKeys));
        }

        return result;
    }

    private static EthereumAddress? Recipient(RlpItem item)
    {
        var bytes = Bytes(item, "to");
        return bytes.Length switch
        {
            0 => null,
            20 => new EthereumAddress(bytes),
            _ => throw new RlpException($"'to' must be empty or 20 bytes; found {bytes.Length}."),
        };
    }

    private static BigInteger Integer(RlpItem item, string field)
    {
        if (item is not RlpString s)
        {
            throw new RlpException($"'{field}' must be a byte string, found a list.");
        }

        try
        {
            return s.ToBigInteger();
        }
        catch (RlpException ex)
        {
            throw new RlpException($"'{field}': {ex.Message}", ex);
        }
    }

    private static byte[] Bytes(RlpItem item, string field) =>
        item is RlpString s ? s.ToArray() : throw new RlpException($"'{field}' must be a byte string, found a list.");
}
