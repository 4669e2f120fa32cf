using System.Numerics;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Signing;
using DepinMarket.Chain.Transactions;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Crypto;

public class SigningPropertyTests
{
    private static readonly BigInteger HalfN =
        BigInteger.Parse("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Sign_then_recover_gives_the_signer_and_s_is_always_low_over_300_random_keys_and_hashes()
    {
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var key = new EthECKey(RandomKey(random));
            var hash = new byte[32];
            random.NextBytes(hash);

            var signature = key.SignAndCalculateV(hash);

            Assert.True(signature.SValue <= HalfN, "high-s signature produced");
            Assert.True(signature.IsLowS);
            Assert.InRange(signature.RecoveryId, 0, 1);
            Assert.True(key.Verify(hash, signature));
            Assert.Equal(key.GetEthereumAddress(), EthECKey.RecoverFromSignature(signature, hash).GetEthereumAddress());
        }
    }

    [Fact]
    public void Signing_is_deterministic_rfc6979()
    {
        var key = new EthECKey(RandomKey(new Random(1)));
        var hash = Sha3Keccack.Hash("payout batch 1"u8);

        Assert.Equal(key.SignAndCalculateV(hash).ToRsvBytes(), key.SignAndCalculateV(hash).ToRsvBytes());
    }

    [Fact]
    public void Recovering_with_a_different_hash_gives_a_different_address()
    {
        var key = new EthECKey(RandomKey(new Random(2)));
        var signature = key.SignAndCalculateV(Sha3Keccack.Hash("a"u8));

        Assert.NotEqual(key.GetEthereumAddress(), EthECKey.RecoverFromSignature(signature, Sha3Keccack.Hash("b"u8)).GetEthereumAddress());
    }

    [Fact]
    public void High_s_form_of_a_valid_signature_is_rejected_when_parsed()
    {
        var key = new EthECKey(RandomKey(new Random(3)));
        var signature = key.SignAndCalculateV(Sha3Keccack.Hash("x"u8));
        var n = (HalfN * 2) + 1;
        var malleable = new EthECDSASignature(signature.RValue, n - signature.SValue, signature.RecoveryId ^ 1);

        Assert.False(malleable.IsLowS);
        Assert.Throws<FormatException>(() => EthECDSASignature.FromRsvBytes(malleable.ToRsvBytes()));
    }

    [Fact]
    public void Personal_sign_round_trips_for_random_utf8_messages()
    {
        var random = new Random(11);
        for (var i = 0; i < 50; i++)
        {
            var key = new EthECKey(RandomKey(random));
            var message = new string(Enumerable.Range(0, random.Next(0, 80)).Select(_ => (char)random.Next(0x20, 0x2FF)).ToArray());

            var signature = EthereumMessageSigner.Current.EncodeUTF8AndSign(message, key);

            Assert.Equal(key.GetPublicAddress(), EthereumMessageSigner.Current.EncodeUTF8AndEcRecover(message, signature));
        }
    }

    [Fact]
    public void Malformed_personal_sign_signatures_do_not_validate()
    {
        var address = EthereumAddress.Parse("0x07e498a89A37cB15911A9D48b60EfD9024f22820");

        Assert.False(EthereumMessageSigner.IsValidSignature("hi", "0x1234", address));
        Assert.False(EthereumMessageSigner.IsValidSignature("hi", "0x" + new string('0', 130), address));
        Assert.False(EthereumMessageSigner.IsValidSignature("hi", "not hex", address));
    }

    [Fact]
    public void Signed_eip1559_and_legacy_transactions_round_trip_through_decode_for_random_fields()
    {
        var random = new Random(5);
        for (var i = 0; i < 100; i++)
        {
            var key = new EthECKey(RandomKey(random));
            var data = new byte[random.Next(0, 100)];
            random.NextBytes(data);
            var to = random.Next(5) == 0 ? (EthereumAddress?)null : new EthereumAddress(RandomBytes(random, 20));
            SignedTransaction tx = random.Next(2) == 0
                ? new Transaction1559
                {
                    ChainId = random.Next(1, int.MaxValue),
                    Nonce = random.Next(),
                    MaxPriorityFeePerGas = random.NextInt64(),
                    MaxFeePerGas = random.NextInt64(),
                    GasLimit = random.Next(21000, 30_000_000),
                    To = to,
                    Value = new BigInteger(RandomBytes(random, random.Next(0, 32)), isUnsigned: true),
                    Data = data,
                    AccessList = random.Next(3) == 0 ? [new AccessListItem(new EthereumAddress(RandomBytes(random, 20)), [RandomBytes(random, 32)])] : [],
                }
                : new LegacyTransactionChainId
                {
                    ChainId = random.Next(1, int.MaxValue),
                    Nonce = random.Next(),
                    GasPrice = random.NextInt64(),
                    GasLimit = random.Next(21000, 30_000_000),
                    To = to,
                    Value = new BigInteger(RandomBytes(random, random.Next(0, 32)), isUnsigned: true),
                    Data = data,
                };

            var signed = tx.Sign(key);
            var decoded = TransactionFactory.CreateTransaction(signed.GetRLPEncoded());

            Assert.Equal(signed.GetRLPEncoded(), decoded.GetRLPEncoded());
            Assert.Equal(signed.TransactionHash, decoded.TransactionHash);
            Assert.Equal(key.GetEthereumAddress(), decoded.GetSenderAddress());
        }
    }

    internal static byte[] RandomKey(Random random)
    {
        // Any 32 random bytes below n; the top byte kept under 0xff makes that certain.
        var bytes = RandomBytes(random, 32);
        bytes[0] = (byte)Math.Min(bytes[0], (byte)0xfe);
        bytes[31] |= 1;
        return bytes;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
