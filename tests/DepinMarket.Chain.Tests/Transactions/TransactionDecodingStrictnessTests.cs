using System.Numerics;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rlp;
using DepinMarket.Chain.Tests.Vectors;
using DepinMarket.Chain.Transactions;

namespace DepinMarket.Chain.Tests.Transactions;

public class TransactionDecodingStrictnessTests
{
    private static byte[] Signed1559 => EvmVectors.Get("tx1559", 0).GetProperty("signed").GetString()!.HexToByteArray();

    [Fact]
    public void Trailing_byte_after_a_signed_transaction_is_rejected()
    {
        Assert.Throws<RlpException>(() => TransactionFactory.CreateTransaction([.. Signed1559, 0x00]));
    }

    [Fact]
    public void Unknown_transaction_type_is_rejected()
    {
        var bytes = Signed1559;
        bytes[0] = 0x05;

        Assert.Throws<RlpException>(() => TransactionFactory.CreateTransaction(bytes));
    }

    [Fact]
    public void Unsigned_payload_is_not_accepted_as_a_signed_transaction()
    {
        var unsigned = EvmVectors.Get("tx1559", 0).GetProperty("unsignedSerialized").GetString()!;

        Assert.Throws<RlpException>(() => TransactionFactory.CreateTransaction(unsigned));
    }

    [Fact]
    public void High_s_signature_is_rejected_on_decode()
    {
        var original = (Transaction1559)TransactionFactory.CreateTransaction(Signed1559);
        var n = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        var sig = original.Signature!;
        var malleable = original with { Signature = new EthECDSASignature(sig.RValue, n - sig.SValue, sig.RecoveryId ^ 1) };

        Assert.Throws<RlpException>(() => TransactionFactory.CreateTransaction(malleable.GetRLPEncoded()));
    }

    [Fact]
    public void Nonce_with_a_leading_zero_byte_is_rejected()
    {
        var list = RlpDecoder.DecodeList(Signed1559.AsSpan(1));
        var items = list.Items.ToArray();
        items[1] = RlpItem.FromBytes([0x00, .. ((RlpString)items[1]).ToArray()]);
        byte[] tampered = [0x02, .. RlpEncoder.Encode(new RlpList(items))];

        var ex = Assert.Throws<RlpException>(() => TransactionFactory.CreateTransaction(tampered));
        Assert.Contains("nonce", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recipient_that_is_not_20_bytes_is_rejected()
    {
        var list = RlpDecoder.DecodeList(Signed1559.AsSpan(1));
        var items = list.Items.ToArray();
        items[5] = RlpItem.FromBytes(new byte[19]);
        byte[] tampered = [0x02, .. RlpEncoder.Encode(new RlpList(items))];

        Assert.Throws<RlpException>(() => TransactionFactory.CreateTransaction(tampered));
    }

    [Fact]
    public void Pre_eip155_legacy_transaction_decodes_without_a_chain_id_and_recovers_its_sender()
    {
        var key = new EthECKey(Crypto.SigningPropertyTests.RandomKey(new Random(9)));
        var tx = new LegacyTransactionChainId { Nonce = 1, GasPrice = 2, GasLimit = 21000, To = null, Value = 0 };

        var signed = (LegacyTransactionChainId)tx.Sign(key);
        var decoded = Assert.IsType<LegacyTransactionChainId>(TransactionFactory.CreateTransaction(signed.GetRLPEncoded()));

        Assert.Null(decoded.ChainId);
        Assert.InRange(decoded.V, 27, 28);
        Assert.Equal(key.GetEthereumAddress(), decoded.GetSenderAddress());
    }

    [Fact]
    public void Serialising_an_unsigned_transaction_as_signed_is_an_error()
    {
        var tx = new Transaction1559 { ChainId = 1, Nonce = 0, MaxFeePerGas = 1, MaxPriorityFeePerGas = 1, GasLimit = 21000 };

        Assert.Throws<InvalidOperationException>(() => tx.GetRLPEncoded());
    }
}
