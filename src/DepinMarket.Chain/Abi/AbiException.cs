namespace DepinMarket.Chain.Abi;

/// <summary>A value cannot be ABI-encoded as the requested type (wrong kind, out of range, wrong length).</summary>
public sealed class AbiEncodingException : ArgumentException
{
    public AbiEncodingException()
    {
    }

    public AbiEncodingException(string message)
        : base(message)
    {
    }

    public AbiEncodingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Bytes are not a valid ABI encoding of the expected types (truncated, bad offset, dirty padding).</summary>
public sealed class AbiDecodingException : FormatException
{
    public AbiDecodingException()
    {
    }

    public AbiDecodingException(string message)
        : base(message)
    {
    }

    public AbiDecodingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
