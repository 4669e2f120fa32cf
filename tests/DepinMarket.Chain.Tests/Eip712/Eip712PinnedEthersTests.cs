using System.Numerics;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Eip712;
using DepinMarket.Chain.Eip712.Eip2612;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Eip712;

/// <summary>
/// Expected values computed once with ethers 6.17 (src/contracts/node_modules) and pinned here. The script, run from
/// src/contracts with NODE_PATH=node_modules, was:
/// <code>
/// const { Wallet, TypedDataEncoder } = require('ethers');
/// const w = new Wallet('0x' + '11'.repeat(32));
/// const enc = TypedDataEncoder.from(types);
/// enc.encodeType(enc.primaryType); TypedDataEncoder.hashDomain(domain); enc.hash(value);
/// TypedDataEncoder.hash(domain, types, value); w.signingKey.sign(TypedDataEncoder.hash(domain, types, value)).serialized;
/// </code>
/// with the domain, types and value of each test below written out as in the test.
/// </summary>
public class Eip712PinnedEthersTests
{
    private const string Key = "0x1111111111111111111111111111111111111111111111111111111111111111";

    private const string KeyAddress = "0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A";

    [Fact]
    public void Permit_convenience_for_the_DepinToken_domain_matches_ethers()
    {
        // domain { name: 'DePIN Market Token', version: '1', chainId: 31337, verifyingContract: '0x5FbD…0aa3' };
        // value { owner: anvil account 1, spender: '0xe7f1…0512', value: 250n * 10n**18n, nonce: 0, deadline: 1893456000 }.
        var domain = Eip2612TypeFactory.TokenDomain("DePIN Market Token", 31337, EthereumAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
        var permit = new Permit
        {
            Owner = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
            Spender = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
            Value = 250 * BigInteger.Pow(10, 18),
            Nonce = 0,
            Deadline = 1893456000,
        };

        var typedData = Eip2612TypeFactory.CreatePermit(domain, permit);

        var encoder = Eip712TypedDataEncoder.Current;
        Assert.Equal("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)", encoder.EncodeType(typedData.Types, "Permit"));
        Assert.Equal("0x4aff335ce7bb145fb3ce1cd800d0d25481bee3a0193f43e33ec4aaa1606e3ee5", encoder.HashDomainSeparator(typedData).ToHex(prefix: true));
        Assert.Equal("0x29660499ced74da31db773bf2ee9aea84217f606b9661da2e0d42716ac3233b3", encoder.HashStruct(typedData.Types, "Permit", typedData.Message).ToHex(prefix: true));
        Assert.Equal("0x88a38cdf9553585ba2aa2c7978c97a78d62098fe04e60642552342d88a78f054", encoder.EncodeAndHashTypedData(typedData).ToHex(prefix: true));
        var signature = Eip712TypedDataSigner.Current.SignTypedDataV4(typedData, new EthECKey(Key));
        Assert.Equal("0x0d1338f9b139f78c96f7c802ae5e51ccc72c8973738a2287463001d94c87dac273e8e0d657b2463021f3747debc7670a8573445ff23c413249a19351987acab81c", signature);
        Assert.Equal(KeyAddress, Eip712TypedDataSigner.Current.RecoverFromSignatureV4(typedData, signature));
        // What a relayer passes to permit(owner, spender, value, deadline, v, r, s).
        var vrs = EthECDSASignature.FromHex(signature);
        Assert.Equal(28, vrs.V);
        Assert.Equal("0x0d1338f9b139f78c96f7c802ae5e51ccc72c8973738a2287463001d94c87dac2", vrs.R.ToHex(prefix: true));
    }

    /// <summary>Shapes the shared vectors lack, in the JSON the ethers script took (big numbers as strings).</summary>
    private const string ExoticJson = """
        {
          "primaryType": "Order",
          "domain": { "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC" },
          "types": {
            "Order": [ { "name": "tag", "type": "bytes1" }, { "name": "mid", "type": "bytes17" }, { "name": "small", "type": "int8" },
                       { "name": "level", "type": "uint8" }, { "name": "when", "type": "uint40" }, { "name": "delta", "type": "int256" },
                       { "name": "pair", "type": "uint16[2]" }, { "name": "grid", "type": "int32[][]" }, { "name": "names", "type": "string[]" },
                       { "name": "blobs", "type": "bytes[]" }, { "name": "flags", "type": "bool[3]" }, { "name": "route", "type": "Leg[]" },
                       { "name": "owner", "type": "Holder" } ],
            "Leg": [ { "name": "from", "type": "Place" }, { "name": "to", "type": "Place" } ],
            "Place": [ { "name": "name", "type": "string" }, { "name": "at", "type": "address" } ],
            "Holder": [ { "name": "wallet", "type": "address" }, { "name": "home", "type": "Place" }, { "name": "ids", "type": "bytes32[]" } ]
          },
          "message": {
            "tag": "0xab", "mid": "0x0101010101010101010101010101010101", "small": -128, "level": 255, "when": "1099511627775",
            "delta": "-57896044618658097711785492504343953926634992332820282019728792003956564819968",
            "pair": [1, 65535], "grid": [[1, -2], [], [2147483647, -2147483648, 0]], "names": ["", "héllo ✓"], "blobs": ["0x", "0xdeadbeef"],
            "flags": [true, false, true],
            "route": [ { "from": { "name": "A", "at": "0x1111111111111111111111111111111111111111" }, "to": { "name": "B", "at": "0x2222222222222222222222222222222222222222" } } ],
            "owner": { "wallet": "0x3333333333333333333333333333333333333333", "home": { "name": "Home", "at": "0x4444444444444444444444444444444444444444" },
                       "ids": ["0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"] }
          }
        }
        """;

    [Fact]
    public void Short_bytes_narrow_and_extreme_integers_fixed_and_nested_arrays_and_deep_structs_match_ethers()
    {
        var typedData = TypedDataRawJsonConversion.DeserialiseJsonToRawTypedData(ExoticJson);
        var encoder = Eip712TypedDataEncoder.Current;

        Assert.Equal(
            "Order(bytes1 tag,bytes17 mid,int8 small,uint8 level,uint40 when,int256 delta,uint16[2] pair,int32[][] grid,string[] names,bytes[] blobs,bool[3] flags,Leg[] route,Holder owner)" +
            "Holder(address wallet,Place home,bytes32[] ids)Leg(Place from,Place to)Place(string name,address at)",
            encoder.EncodeType(typedData.Types, "Order"));
        Assert.Equal("0x598cca62effdbc6625b10d4540afd06780900bc8ee039c6201f5fb997306ddc3", encoder.HashDomainSeparator(typedData).ToHex(prefix: true));
        Assert.Equal("0x9db8b78261136aee7ac010e7ad340e5c373b5e3790e57ccfe1cc2199309eac7d", encoder.HashStruct(typedData.Types, "Order", typedData.Message).ToHex(prefix: true));
        Assert.Equal("0xd73f035f75b5480ed77c45da701cf998dcd72d3e4b1a96b540c377842d7b887b", encoder.EncodeAndHashTypedData(ExoticJson).ToHex(prefix: true));
        Assert.Equal(
            "0xd9cbba4e3ac48b6f276cec54c8901aae030eb56daa8efd76581f268470477d4e34c1f1c1787bbf7df72c01c33a6aeac50b5fb4495f54032c88a85a4dd4ebeb391c",
            Eip712TypedDataSigner.Current.SignTypedDataV4(ExoticJson, new EthECKey(Key)));
    }
}
