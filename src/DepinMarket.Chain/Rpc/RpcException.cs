using System.Net;

namespace DepinMarket.Chain.Rpc;

/// <summary>What kind of failure a JSON-RPC call hit, so callers can branch without parsing messages.</summary>
public enum RpcErrorKind
{
    /// <summary>A node error this library does not classify; see <see cref="RpcException.Code"/> and <see cref="RpcException.RpcMessage"/>.</summary>
    Unknown = 0,

    /// <summary>The EVM reverted (eth_call, eth_estimateGas, or a node that simulates on send).</summary>
    ExecutionReverted,

    /// <summary>The nonce was already used: the transaction (or another one with that nonce) was mined.</summary>
    NonceTooLow,

    /// <summary>The nonce is too far ahead of the account's next nonce (some nodes reject gaps).</summary>
    NonceTooHigh,

    /// <summary>A pending transaction with this nonce exists and the new one does not pay enough more to replace it.</summary>
    ReplacementUnderpriced,

    /// <summary>The sender cannot pay gas * fee + value.</summary>
    InsufficientFunds,

    /// <summary>The node already has this exact transaction; re-broadcasting it is harmless.</summary>
    AlreadyKnown,

    /// <summary>The fee is below what the node accepts (max fee below base fee, or below the pool's minimum).</summary>
    FeeTooLow,

    /// <summary>The gas limit is too low for the transaction or above the block gas limit.</summary>
    GasLimit,

    /// <summary>HTTP failure or a response that is not JSON-RPC.</summary>
    Transport,

    /// <summary>The per-call timeout elapsed.</summary>
    Timeout,
}

/// <summary>
/// A JSON-RPC call failed. Node errors keep their <see cref="Code"/>, <see cref="RpcMessage"/> and raw
/// <see cref="ErrorData"/>; <see cref="Kind"/> classifies the common cases, and the subclasses carry extra detail.
/// </summary>
public class RpcException : Exception
{
    public RpcException()
    {
    }

    public RpcException(string message)
        : base(message)
    {
    }

    public RpcException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A classified error.</summary>
    public RpcException(RpcErrorKind kind, string method, int? code, string? rpcMessage, string? errorData, Exception? innerException = null)
        : base(Describe(kind, method, code, rpcMessage), innerException)
    {
        Kind = kind;
        Method = method;
        Code = code;
        RpcMessage = rpcMessage;
        ErrorData = errorData;
    }

    /// <summary>Classification.</summary>
    public RpcErrorKind Kind { get; }

    /// <summary>The JSON-RPC method that failed.</summary>
    public string? Method { get; }

    /// <summary>JSON-RPC error code (e.g. -32000, 3); null for transport failures.</summary>
    public int? Code { get; }

    /// <summary>The node's error message, verbatim.</summary>
    public string? RpcMessage { get; }

    /// <summary>The node's error "data" as raw JSON text or hex (revert data lives here). Not <see cref="Exception.Data"/>.</summary>
    public string? ErrorData { get; }

    private static string Describe(RpcErrorKind kind, string method, int? code, string? rpcMessage) =>
        code is null
            ? $"{method}: {kind}: {rpcMessage}"
            : $"{method} failed ({kind}, code {code}): {rpcMessage}";
}

/// <summary>The EVM reverted. <see cref="Reason"/> is the decoded <c>Error(string)</c>, <see cref="ErrorSelector"/> names a custom error.</summary>
public sealed class RpcRevertException : RpcException
{
    public RpcRevertException()
    {
        RevertData = [];
    }

    public RpcRevertException(string message)
        : base(message)
    {
        RevertData = [];
    }

    public RpcRevertException(string message, Exception innerException)
        : base(message, innerException)
    {
        RevertData = [];
    }

    /// <summary>A revert with its decoded data.</summary>
    public RpcRevertException(string method, int? code, string? rpcMessage, string? errorData, RevertReason revert)
        : base(RpcErrorKind.ExecutionReverted, method, code, rpcMessage, errorData)
    {
        ArgumentNullException.ThrowIfNull(revert);
        RevertData = revert.Data;
        Reason = revert.Reason;
        PanicCode = revert.PanicCode;
        ErrorSelector = revert.Selector;
    }

    /// <summary>Raw revert data (empty for a bare <c>revert()</c> or when the node did not return it).</summary>
    public byte[] RevertData { get; }

    /// <summary>The message of <c>require(cond, "message")</c> / <c>revert("message")</c>, when that is what reverted.</summary>
    public string? Reason { get; }

    /// <summary>The Solidity panic code (0x11 overflow, 0x12 division by zero…), when a <c>Panic(uint256)</c>.</summary>
    public System.Numerics.BigInteger? PanicCode { get; }

    /// <summary>The 4-byte selector (0x-hex) of the error, e.g. 0x08c379a0 for Error(string) or a custom error's.</summary>
    public string? ErrorSelector { get; }

    /// <summary>Decodes the revert data as the custom error <typeparamref name="TError"/>, or null when the selector differs.</summary>
    public TError? DecodeCustomError<TError>()
        where TError : class, new() => RevertReason.TryDecodeCustomError<TError>(RevertData);
}

/// <summary>The nonce was already used.</summary>
public sealed class NonceTooLowException : RpcException
{
    public NonceTooLowException()
    {
    }

    public NonceTooLowException(string message)
        : base(message)
    {
    }

    public NonceTooLowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public NonceTooLowException(string method, int? code, string? rpcMessage, string? errorData)
        : base(RpcErrorKind.NonceTooLow, method, code, rpcMessage, errorData)
    {
    }
}

/// <summary>A pending transaction holds the nonce and the replacement does not pay enough more.</summary>
public sealed class ReplacementUnderpricedException : RpcException
{
    public ReplacementUnderpricedException()
    {
    }

    public ReplacementUnderpricedException(string message)
        : base(message)
    {
    }

    public ReplacementUnderpricedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ReplacementUnderpricedException(string method, int? code, string? rpcMessage, string? errorData)
        : base(RpcErrorKind.ReplacementUnderpriced, method, code, rpcMessage, errorData)
    {
    }
}

/// <summary>The sender's balance cannot cover gas and value.</summary>
public sealed class InsufficientFundsException : RpcException
{
    public InsufficientFundsException()
    {
    }

    public InsufficientFundsException(string message)
        : base(message)
    {
    }

    public InsufficientFundsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InsufficientFundsException(string method, int? code, string? rpcMessage, string? errorData)
        : base(RpcErrorKind.InsufficientFunds, method, code, rpcMessage, errorData)
    {
    }
}

/// <summary>HTTP failed, or the response was not JSON-RPC.</summary>
public sealed class RpcTransportException : RpcException
{
    public RpcTransportException()
    {
    }

    public RpcTransportException(string message)
        : base(message)
    {
    }

    public RpcTransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RpcTransportException(string method, HttpStatusCode? statusCode, string detail, Exception? innerException = null)
        : base(RpcErrorKind.Transport, method, null, detail, null, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>HTTP status, when a response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }
}

/// <summary>The per-call timeout elapsed before the node answered.</summary>
public sealed class RpcTimeoutException : RpcException
{
    public RpcTimeoutException()
    {
    }

    public RpcTimeoutException(string message)
        : base(message)
    {
    }

    public RpcTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RpcTimeoutException(string method, TimeSpan timeout, Exception? innerException = null)
        : base(RpcErrorKind.Timeout, method, null, $"no answer within {timeout.TotalSeconds:0.###} s", null, innerException)
    {
        Timeout = timeout;
    }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }
}
