namespace DepinMarket.Chain.Rlp;

/// <summary>Input is not valid canonical RLP (truncated, trailing bytes, or a non-minimal encoding).</summary>
public sealed class RlpException : FormatException
{
    public RlpException()
    {
    }

    public RlpException(string message)
        : base(message)
    {
    }

    public RlpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
