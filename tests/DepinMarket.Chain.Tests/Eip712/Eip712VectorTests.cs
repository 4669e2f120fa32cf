using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Eip712;
using DepinMarket.Chain.Eip712.Eip2612;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Signing;
using DepinMarket.Chain.Tests.Vectors;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Eip712;

/// <summary>
/// Every record of the shared vectors' eip712 category (made with ethers.js 6): encodeType, typeHash, domain separator,
/// hashStruct, digest, signature with the record's key, and recovery of its address.
/// </summary>
public class Eip712VectorTests
{
    public static TheoryData<string, int> Cases =>
        EvmVectors.Cases("eip712", v => $"{v.GetProperty("primaryType").GetString()} domain({string.Join(",", v.GetProperty("domain").EnumerateObject().Select(p => p.Name))})");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Json_typed_data_hashes_signs_and_recovers_like_ethers(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("eip712", index);
        var typedData = TypedDataRawJsonConversion.DeserialiseJsonToRawTypedData(Json(v));
        var encoder = Eip712TypedDataEncoder.Current;
        var primaryType = v.GetProperty("primaryType").GetString()!;

        Assert.Equal(v.GetProperty("encodedType").GetString(), encoder.EncodeType(typedData.Types, primaryType));
        Assert.Equal(Hex(v, "typeHash"), encoder.HashType(typedData.Types, primaryType).ToHex(prefix: true));
        Assert.Equal(Hex(v, "domainSeparator"), encoder.HashDomainSeparator(typedData).ToHex(prefix: true));
        Assert.Equal(Hex(v, "structHash"), encoder.HashStruct(typedData.Types, primaryType, typedData.Message).ToHex(prefix: true));
        Assert.Equal(Hex(v, "digest"), encoder.EncodeAndHashTypedData(typedData).ToHex(prefix: true));
        var signature = Eip712TypedDataSigner.Current.SignTypedDataV4(typedData, new EthECKey(v.GetProperty("privateKey").GetString()!));
        Assert.Equal(Hex(v, "signature"), signature);
        Assert.Equal(v.GetProperty("address").GetString(), Eip712TypedDataSigner.Current.RecoverFromSignatureV4(typedData, Hex(v, "signature")));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Typed_domain_and_message_dtos_give_the_same_digest_and_an_IEthSigner_the_same_signature(string name, int index)
    {
        _ = name;
        var v = EvmVectors.Get("eip712", index);
        var typedData = new TypedData<Domain> { Domain = DomainOf(v.GetProperty("domain")) };
        if (v.GetProperty("primaryType").GetString() == "Permit")
        {
            typedData = Eip2612TypeFactory.CreatePermit(typedData.Domain, PermitOf(v.GetProperty("message")));
        }
        else
        {
            typedData.Types = MemberDescriptionFactory.GetTypesMemberDescription(typeof(RentalOrder));
            typedData.PrimaryType = "RentalOrder";
            typedData.SetMessage(RentalOrderOf(v.GetProperty("message")));
        }

        Assert.Equal(v.GetProperty("encodedType").GetString(), Eip712TypedDataEncoder.Current.EncodeType(typedData.Types, typedData.PrimaryType));
        Assert.Equal(Hex(v, "domainSeparator"), Eip712TypedDataEncoder.Current.HashDomainSeparator(typedData).ToHex(prefix: true));
        Assert.Equal(Hex(v, "digest"), Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(typedData).ToHex(prefix: true));
        var signer = new LocalEthSigner(v.GetProperty("privateKey").GetString()!);
        Assert.Equal(Hex(v, "signature"), await signer.SignTypedDataV4Async(typedData));
    }

    /// <summary>The record as eth_signTypedData_v4 / ethers.js take it (types without EIP712Domain, as ethers does).</summary>
    internal static string Json(JsonElement v) => new JsonObject
    {
        ["types"] = JsonNode.Parse(v.GetProperty("types").GetRawText()),
        ["primaryType"] = v.GetProperty("primaryType").GetString(),
        ["domain"] = JsonNode.Parse(v.GetProperty("domain").GetRawText()),
        ["message"] = JsonNode.Parse(v.GetProperty("message").GetRawText()),
    }.ToJsonString();

    private static string Hex(JsonElement v, string property) => v.GetProperty(property).GetString()!;

    private static Domain DomainOf(JsonElement d) => new()
    {
        Name = d.TryGetProperty("name", out var n) ? n.GetString() : null,
        Version = d.TryGetProperty("version", out var ver) ? ver.GetString() : null,
        ChainId = d.TryGetProperty("chainId", out var c) ? Big(c) : null,
        VerifyingContract = d.TryGetProperty("verifyingContract", out var vc) ? vc.GetString() : null,
        Salt = d.TryGetProperty("salt", out var s) ? s.GetString()!.HexToByteArray() : null,
    };

    private static Permit PermitOf(JsonElement m) => new()
    {
        Owner = m.GetProperty("owner").GetString()!,
        Spender = m.GetProperty("spender").GetString()!,
        Value = Big(m.GetProperty("value")),
        Nonce = Big(m.GetProperty("nonce")),
        Deadline = Big(m.GetProperty("deadline")),
    };

    private static RentalOrder RentalOrderOf(JsonElement m) => new()
    {
        OfferId = m.GetProperty("offerId").GetString()!.HexToByteArray(),
        Renter = PartyOf(m.GetProperty("renter")),
        Gpus = ushort.Parse(m.GetProperty("gpus").GetString()!, CultureInfo.InvariantCulture),
        Hours = uint.Parse(m.GetProperty("hours").GetString()!, CultureInfo.InvariantCulture),
        MaxTotal = Big(m.GetProperty("maxTotal")),
        Note = m.GetProperty("note").GetString()!,
        Proof = m.GetProperty("proof").GetString()!.HexToByteArray(),
        AutoRenew = m.GetProperty("autoRenew").GetBoolean(),
        Delta = long.Parse(m.GetProperty("delta").GetString()!, CultureInfo.InvariantCulture),
        Payees = m.GetProperty("payees").EnumerateArray().Select(PartyOf).ToList(),
        Caps = m.GetProperty("caps").EnumerateArray().Select(Big).ToList(),
    };

    private static Party PartyOf(JsonElement p) => new()
    {
        Wallet = EthereumAddress.Parse(p.GetProperty("wallet").GetString()!).ToString(),
        Account = p.GetProperty("account").GetString()!.HexToByteArray(),
    };

    private static BigInteger Big(JsonElement e) => BigInteger.Parse(e.GetString()!, CultureInfo.InvariantCulture);
}
