using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Signing;

namespace DepinMarket.Chain.Eip712;

/// <summary>
/// Signs and verifies EIP-712 typed data as eth_signTypedData_v4 does (Nethereum: <c>Eip712TypedDataSigner</c>): an
/// RFC 6979, low-s signature over <see cref="Eip712TypedDataEncoder.EncodeAndHashTypedData(TypedDataRaw)"/>, as
/// 65-byte r ‖ s ‖ v hex with v = 27/28, the same bytes ethers.js's <c>signTypedData</c> gives.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Instance methods keep Nethereum's call shape (Eip712TypedDataSigner.Current.X) so swapping Nethereum in is mechanical.")]
public sealed class Eip712TypedDataSigner
{
    /// <summary>Shared instance; the type holds no state.</summary>
    public static Eip712TypedDataSigner Current { get; } = new();

    /// <summary>Signs <paramref name="typedData"/> with <paramref name="key"/>.</summary>
    public string SignTypedDataV4(TypedDataRaw typedData, EthECKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.SignAndCalculateV(Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(typedData)).CreateStringSignature();
    }

    /// <summary>Signs eth_signTypedData_v4 JSON with <paramref name="key"/>.</summary>
    public string SignTypedDataV4(string json, EthECKey key) =>
        SignTypedDataV4(TypedDataRawJsonConversion.DeserialiseJsonToRawTypedData(json), key);

    /// <summary>The checksummed address that signed <paramref name="typedData"/>.</summary>
    /// <exception cref="FormatException">The signature is not 65 bytes, has a bad v, or is malleable (high s).</exception>
    public string RecoverFromSignatureV4(TypedDataRaw typedData, string signature) =>
        RecoverFromSignatureHashV4(Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(typedData), signature);

    /// <summary>The checksummed address that signed eth_signTypedData_v4 JSON.</summary>
    public string RecoverFromSignatureV4(string json, string signature) =>
        RecoverFromSignatureV4(TypedDataRawJsonConversion.DeserialiseJsonToRawTypedData(json), signature);

    /// <summary>The checksummed address that signed a typed-data digest.</summary>
    public string RecoverFromSignatureHashV4(byte[] digest, string signature)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(signature);
        return EthECKey.RecoverFromSignature(EthECDSASignature.FromHex(signature), digest).GetEthereumAddress().ToString();
    }
}

/// <summary>EIP-712 signing through an <see cref="IEthSigner"/> (a local key today, a KMS tomorrow).</summary>
public static class Eip712SignerExtensions
{
    /// <summary>Signs <paramref name="typedData"/>; returns the 65-byte 0x-hex signature (v = 27/28).</summary>
    public static async Task<string> SignTypedDataV4Async(this IEthSigner signer, TypedDataRaw typedData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var signature = await signer.SignHashAsync(Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(typedData), cancellationToken);
        return signature.CreateStringSignature();
    }
}
