using System.Numerics;
using System.Text.Json;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Tests.Vectors;
using DepinMarket.Chain.Transactions;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Transactions;

public class TransactionVectorTests
{
    public static TheoryData<string, int> Cases1559 => EvmVectors.Cases("tx1559", Describe);

    public static TheoryData<string, int> CasesLegacy => EvmVectors.Cases("txLegacy", Describe);

    [Theory]
    [MemberData(nameof(Cases1559))]
    public void Eip1559_unsigned_bytes_signing_hash_signature_signed_bytes_and_hash_match_ethers(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("tx1559", index);
        var tx = new Transaction1559
        {
            ChainId = Big(v, "chainId"),
            Nonce = Big(v, "nonce"),
            MaxPriorityFeePerGas = Big(v, "maxPriorityFeePerGas"),
            MaxFeePerGas = Big(v, "maxFeePerGas"),
            GasLimit = Big(v, "gasLimit"),
            To = To(v),
            Value = Big(v, "value"),
            Data = v.GetProperty("data").GetString()!.HexToByteArray(),
        };

        Assert.Equal(Hex(v, "unsignedSerialized"), tx.GetRLPEncodedRaw().ToHex(prefix: true));
        Assert.Equal(Hex(v, "signingHash"), tx.RawHash.ToHex(prefix: true));

        var signed = tx.Sign(new EthECKey(Hex(v, "privateKey")));

        Assert.Equal(Hex(v, "r"), signed.Signature!.R.ToHex(prefix: true));
        Assert.Equal(Hex(v, "s"), signed.Signature.S.ToHex(prefix: true));
        Assert.Equal(v.GetProperty("yParity").GetInt32(), signed.Signature.RecoveryId);
        Assert.Equal(Hex(v, "signed"), signed.GetRawTransactionHex());
        Assert.Equal(Hex(v, "hash"), signed.TransactionHash);
    }

    [Theory]
    [MemberData(nameof(Cases1559))]
    public void Eip1559_signed_bytes_decode_to_the_fields_and_the_sender(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("tx1559", index);

        var tx = Assert.IsType<Transaction1559>(TransactionFactory.CreateTransaction(Hex(v, "signed")));

        Assert.Equal(Big(v, "chainId"), tx.ChainId);
        Assert.Equal(Big(v, "nonce"), tx.Nonce);
        Assert.Equal(Big(v, "maxPriorityFeePerGas"), tx.MaxPriorityFeePerGas);
        Assert.Equal(Big(v, "maxFeePerGas"), tx.MaxFeePerGas);
        Assert.Equal(Big(v, "gasLimit"), tx.GasLimit);
        Assert.Equal(To(v), tx.To);
        Assert.Equal(Big(v, "value"), tx.Value);
        Assert.Equal(Hex(v, "data"), tx.Data.ToHex(prefix: true));
        Assert.Empty(tx.AccessList);
        Assert.Equal(Hex(v, "r"), tx.Signature!.R.ToHex(prefix: true));
        Assert.Equal(Hex(v, "s"), tx.Signature.S.ToHex(prefix: true));
        Assert.Equal(v.GetProperty("yParity").GetInt32(), tx.Signature.RecoveryId);
        Assert.Equal(Hex(v, "signingHash"), tx.RawHash.ToHex(prefix: true));
        Assert.Equal(Hex(v, "hash"), tx.TransactionHash);
        Assert.Equal(EthereumAddress.Parse(Hex(v, "from")), tx.GetSenderAddress());
    }

    [Theory]
    [MemberData(nameof(CasesLegacy))]
    public void Legacy_eip155_unsigned_bytes_signing_hash_signature_signed_bytes_and_hash_match_ethers(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("txLegacy", index);
        var tx = new LegacyTransactionChainId
        {
            ChainId = Big(v, "chainId"),
            Nonce = Big(v, "nonce"),
            GasPrice = Big(v, "gasPrice"),
            GasLimit = Big(v, "gasLimit"),
            To = To(v),
            Value = Big(v, "value"),
            Data = v.GetProperty("data").GetString()!.HexToByteArray(),
        };

        Assert.Equal(Hex(v, "unsignedSerialized"), tx.GetRLPEncodedRaw().ToHex(prefix: true));
        Assert.Equal(Hex(v, "signingHash"), tx.RawHash.ToHex(prefix: true));

        var signed = (LegacyTransactionChainId)tx.Sign(new EthECKey(Hex(v, "privateKey")));

        Assert.Equal(Hex(v, "r"), signed.Signature!.R.ToHex(prefix: true));
        Assert.Equal(Hex(v, "s"), signed.Signature.S.ToHex(prefix: true));
        Assert.Equal(Big(v, "v"), signed.V);
        Assert.Equal(Hex(v, "signed"), signed.GetRawTransactionHex());
        Assert.Equal(Hex(v, "hash"), signed.TransactionHash);
    }

    [Theory]
    [MemberData(nameof(CasesLegacy))]
    public void Legacy_signed_bytes_decode_to_the_fields_and_the_sender(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("txLegacy", index);

        var tx = Assert.IsType<LegacyTransactionChainId>(TransactionFactory.CreateTransaction(Hex(v, "signed")));

        Assert.Equal(Big(v, "chainId"), tx.ChainId);
        Assert.Equal(Big(v, "nonce"), tx.Nonce);
        Assert.Equal(Big(v, "gasPrice"), tx.GasPrice);
        Assert.Equal(Big(v, "gasLimit"), tx.GasLimit);
        Assert.Equal(To(v), tx.To);
        Assert.Equal(Big(v, "value"), tx.Value);
        Assert.Equal(Hex(v, "data"), tx.Data.ToHex(prefix: true));
        Assert.Equal(Big(v, "v"), tx.V);
        Assert.Equal(Hex(v, "r"), tx.Signature!.R.ToHex(prefix: true));
        Assert.Equal(Hex(v, "s"), tx.Signature.S.ToHex(prefix: true));
        Assert.Equal(Hex(v, "signingHash"), tx.RawHash.ToHex(prefix: true));
        Assert.Equal(Hex(v, "hash"), tx.TransactionHash);
        Assert.Equal(EthereumAddress.Parse(Hex(v, "from")), tx.GetSenderAddress());
    }

    private static string Describe(JsonElement v) =>
        $"chain {v.GetProperty("chainId")} nonce {v.GetProperty("nonce")} to {(v.GetProperty("to").ValueKind == JsonValueKind.Null ? "(create)" : v.GetProperty("to").GetString())}";

    private static string Hex(JsonElement v, string property) => v.GetProperty(property).GetString()!;

    private static BigInteger Big(JsonElement v, string property)
    {
        var element = v.GetProperty(property);
        return element.ValueKind == JsonValueKind.Number
            ? new BigInteger(element.GetInt64())
            : BigInteger.Parse(element.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static EthereumAddress? To(JsonElement v) =>
        v.GetProperty("to").ValueKind == JsonValueKind.Null ? null : EthereumAddress.Parse(v.GetProperty("to").GetString()!);
}
