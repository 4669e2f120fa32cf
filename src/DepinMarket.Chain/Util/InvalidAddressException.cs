namespace DepinMarket.Chain.Util;

/// <summary>Why a string is not an acceptable Ethereum address.</summary>
public enum AddressError
{
    /// <summary>Null, empty or whitespace.</summary>
    Empty = 0,

    /// <summary>Does not start with <c>0x</c>.</summary>
    MissingPrefix,

    /// <summary>Not 40 hex digits after the prefix.</summary>
    WrongLength,

    /// <summary>Contains a character that is not a hex digit.</summary>
    NotHex,

    /// <summary>Mixed case, so it claims an EIP-55 checksum, and the checksum does not match (a typo or a tampered address).</summary>
    ChecksumMismatch,
}

/// <summary>
/// A string was rejected as an Ethereum address. <see cref="Reason"/> lets the API answer with a precise 400
/// (for example "checksum does not match") instead of a generic "invalid address".
/// </summary>
public sealed class InvalidAddressException : FormatException
{
    public InvalidAddressException()
        : this(AddressError.Empty, "The address is invalid.")
    {
    }

    public InvalidAddressException(string message)
        : this(AddressError.Empty, message)
    {
    }

    public InvalidAddressException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidAddressException(AddressError reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>What was wrong with the input.</summary>
    public AddressError Reason { get; }

    internal static string Describe(AddressError reason) => reason switch
    {
        AddressError.Empty => "the address is empty",
        AddressError.MissingPrefix => "the address must start with 0x",
        AddressError.WrongLength => "the address must be 40 hex digits after 0x",
        AddressError.NotHex => "the address contains a character that is not a hex digit",
        AddressError.ChecksumMismatch => "checksum does not match",
        _ => "the address is invalid",
    };
}
