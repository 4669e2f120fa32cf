using System.Diagnostics.CodeAnalysis;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Util;

/// <summary>
/// String-level address helpers with Nethereum's <c>AddressUtil</c> names, for code that keeps addresses as strings.
/// New code should prefer <see cref="EthereumAddress"/>, which cannot hold an invalid value.
/// </summary>
[SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Instance methods keep Nethereum's call shape (X.Current.Method) so swapping Nethereum in is mechanical.")]
public sealed class AddressUtil
{
    /// <summary>Shared instance (Nethereum's <c>AddressUtil.Current</c>).</summary>
    public static AddressUtil Current { get; } = new();

    /// <summary>The EIP-55 checksum form of any valid-format address (the input's case is ignored).</summary>
    /// <exception cref="InvalidAddressException">The input is not 0x + 40 hex digits.</exception>
    public string ConvertToChecksumAddress(string address)
    {
        if (!IsValidEthereumAddressHexFormat(address))
        {
            throw new InvalidAddressException(AddressError.WrongLength, $"'{address}' is not 0x followed by 40 hex digits.");
        }

        return EthereumAddress.ApplyChecksum(address[2..].ToLowerInvariant());
    }

    /// <summary>True when the address is exactly in EIP-55 checksum form.</summary>
    public bool IsChecksumAddress(string? address) =>
        IsValidEthereumAddressHexFormat(address) &&
        string.Equals(EthereumAddress.ApplyChecksum(address![2..].ToLowerInvariant()), address, StringComparison.Ordinal);

    /// <summary>True for 0x followed by exactly 40 hex digits, whatever the case (no checksum check).</summary>
    public bool IsValidEthereumAddressHexFormat(string? address) =>
        address is { Length: 42 } && address.StartsWith("0x", StringComparison.Ordinal) && address.IsHex();

    /// <summary>Format valid and, when mixed case, checksum valid: the same rule as <see cref="EthereumAddress.Parse(string)"/>.</summary>
    public bool IsValidAddress(string? address) => EthereumAddress.TryParse(address, out _);

    /// <summary>Case-insensitive comparison of two addresses.</summary>
    public bool AreAddressesTheSame(string? address1, string? address2) =>
        string.Equals(address1?.EnsureHexPrefix(), address2?.EnsureHexPrefix(), StringComparison.OrdinalIgnoreCase);

    /// <summary>True for null, empty, "0x" or the zero address.</summary>
    public bool IsAnEmptyAddress(string? address) =>
        string.IsNullOrWhiteSpace(address) || address == "0x" || (address.IsHex() && address.RemoveHexPrefix().All(c => c == '0'));
}
