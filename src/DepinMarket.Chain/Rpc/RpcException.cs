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
/// <remarks>
/// Where it can go: <see cref="Exception.Message"/> and <c>ToString()</c> are for logs. They name the method, the
/// node's own text and the node as <see cref="Endpoint"/>, redacted to <c>scheme://host:port/***</c>: the URL's path,
/// query and userinfo (where hosted providers put API keys) never appear, and are scrubbed from the node's text too.
/// A public error body (an API response) should carry only <see cref="Kind"/> and <see cref="PublicMessage"/>, which
/// name neither host nor port nor repeat anything the node said.
/// </remarks>
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

    /// <summary>
    /// A classified error. <paramref name="endpoint"/> must already be redacted (<see cref="RpcEndpoint.Redacted"/>), and
    /// <paramref name="rpcMessage"/> and <paramref name="errorData"/> scrubbed (<see cref="RpcEndpoint.Scrub"/>).
    /// </summary>
    public RpcException(RpcErrorKind kind, string method, int? code, string? rpcMessage, string? errorData, Exception? innerException = null, string? endpoint = null)
        : base(Describe(kind, method, code, rpcMessage, endpoint), innerException)
    {
        Kind = kind;
        Method = method;
        Code = code;
        RpcMessage = rpcMessage;
        ErrorData = errorData;
        Endpoint = endpoint;
    }

    /// <summary>Classification.</summary>
    public RpcErrorKind Kind { get; }

    /// <summary>The JSON-RPC method that failed.</summary>
    public string? Method { get; }

    /// <summary>JSON-RPC error code (e.g. -32000, 3); null for transport failures.</summary>
    public int? Code { get; }

    /// <summary>The node's error message, verbatim except for secret parts of the endpoint URL (scrubbed to ***).</summary>
    public string? RpcMessage { get; }

    /// <summary>The node's error "data" as raw JSON text or hex (revert data lives here). Not <see cref="Exception.Data"/>.</summary>
    public string? ErrorData { get; }

    /// <summary>The node that failed, redacted to <c>scheme://host:port/***</c>; null when not known.</summary>
    public string? Endpoint { get; }

    /// <summary>
    /// What went wrong, for a public error body: one sentence per <see cref="Kind"/> (a revert adds the contract's
    /// reason). It names neither host nor port and repeats nothing the node said, so it is safe to return to any caller;
    /// use <see cref="Exception.Message"/> for logs.
    /// </summary>
    public virtual string PublicMessage => Kind switch
    {
        RpcErrorKind.Transport => "The chain node could not be reached or gave an unusable answer.",
        RpcErrorKind.Timeout => "The chain node did not answer in time.",
        RpcErrorKind.ExecutionReverted => "The contract call reverted.",
        RpcErrorKind.NonceTooLow => "The transaction's nonce was already used.",
        RpcErrorKind.NonceTooHigh => "The transaction's nonce is ahead of the account's next nonce.",
        RpcErrorKind.ReplacementUnderpriced => "A pending transaction with the same nonce pays more than this replacement.",
        RpcErrorKind.InsufficientFunds => "The sending account cannot pay for gas and value.",
        RpcErrorKind.AlreadyKnown => "The chain node already has this transaction.",
        RpcErrorKind.FeeTooLow => "The transaction's fee is below what the chain node accepts.",
        RpcErrorKind.GasLimit => "The transaction's gas limit is too low or above the block gas limit.",
        _ => "The chain node refused the call.",
    };

    private static string Describe(RpcErrorKind kind, string method, int? code, string? rpcMessage, string? endpoint)
    {
        var text = code is null
            ? $"{method}: {kind}: {rpcMessage}"
            : $"{method} failed ({kind}, code {code}): {rpcMessage}";
        return endpoint is null ? text : $"{text} (node {endpoint})";
    }
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
    public RpcRevertException(string method, int? code, string? rpcMessage, string? errorData, RevertReason revert, string? endpoint = null)
        : base(RpcErrorKind.ExecutionReverted, method, code, rpcMessage, errorData, endpoint: endpoint)
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

    /// <summary>The contract's reason comes from the contract, not from the node, so it may be shown.</summary>
    public override string PublicMessage => Reason is null ? base.PublicMessage : $"The contract call reverted: {Reason}";

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

    public NonceTooLowException(string method, int? code, string? rpcMessage, string? errorData, string? endpoint = null)
        : base(RpcErrorKind.NonceTooLow, method, code, rpcMessage, errorData, endpoint: endpoint)
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

    public ReplacementUnderpricedException(string method, int? code, string? rpcMessage, string? errorData, string? endpoint = null)
        : base(RpcErrorKind.ReplacementUnderpriced, method, code, rpcMessage, errorData, endpoint: endpoint)
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

    public InsufficientFundsException(string method, int? code, string? rpcMessage, string? errorData, string? endpoint = null)
        : base(RpcErrorKind.InsufficientFunds, method, code, rpcMessage, errorData, endpoint: endpoint)
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

    public RpcTransportException(string method, HttpStatusCode? statusCode, string detail, Exception? innerException = null, string? endpoint = null)
        : base(RpcErrorKind.Transport, method, null, detail, null, innerException, endpoint)
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

    public RpcTimeoutException(string method, TimeSpan timeout, Exception? innerException = null, string? endpoint = null)
        : base(RpcErrorKind.Timeout, method, null, $"no answer within {timeout.TotalSeconds:0.###} s", null, innerException, endpoint)
    {
        Timeout = timeout;
    }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }
}
