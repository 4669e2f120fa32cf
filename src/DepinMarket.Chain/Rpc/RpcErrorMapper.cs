using System.Text.Json;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Rpc;

/// <summary>
/// Turns a JSON-RPC error object into a typed exception. Nodes (geth, anvil, reth, Nethermind, Erigon, hosted
/// providers) agree on codes only loosely, so classification looks at the message text as well; the verbatim code,
/// message and data always stay on the exception.
/// </summary>
public static class RpcErrorMapper
{
    /// <summary>JSON-RPC code geth and anvil use for "execution reverted" with data.</summary>
    public const int ExecutionRevertedCode = 3;

    /// <summary>
    /// Maps a parsed "error" member. With an <paramref name="endpoint"/>, the exception names it (redacted) and the
    /// node's message and data are scrubbed of the URL's secret parts.
    /// </summary>
    public static RpcException Map(string method, JsonElement error, RpcEndpoint? endpoint = null)
    {
        int? code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var ci) ? ci : null;
        var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        string? dataText = null;
        if (error.TryGetProperty("data", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            dataText = d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText();
        }

        return Map(method, code, message, dataText, error.TryGetProperty("data", out var data) ? data : default, endpoint);
    }

    /// <summary>Maps code, message and data (see <see cref="Map(string, JsonElement, RpcEndpoint?)"/> for <paramref name="endpoint"/>).</summary>
    public static RpcException Map(string method, int? code, string? message, string? dataText, JsonElement data = default, RpcEndpoint? endpoint = null)
    {
        // Revert data is read before scrubbing, which could otherwise cut into its hex.
        var revertData = ExtractRevertData(data, dataText);
        var redacted = endpoint?.Redacted;
        message = endpoint?.Scrub(message) ?? message;
        dataText = endpoint?.Scrub(dataText) ?? dataText;
        var text = (message ?? string.Empty).ToLowerInvariant();

        if (code == ExecutionRevertedCode || text.Contains("execution reverted", StringComparison.Ordinal) ||
            (text.Contains("revert", StringComparison.Ordinal) && revertData is not null))
        {
            var revert = RevertReason.Decode(revertData ?? []);
            return new RpcRevertException(method, code, message, dataText, revert, redacted);
        }

        if (text.Contains("nonce too low", StringComparison.Ordinal) || text.Contains("nonce has already been used", StringComparison.Ordinal))
        {
            return new NonceTooLowException(method, code, message, dataText, redacted);
        }

        if (text.Contains("replacement transaction underpriced", StringComparison.Ordinal) || text.Contains("replacement fee too low", StringComparison.Ordinal))
        {
            return new ReplacementUnderpricedException(method, code, message, dataText, redacted);
        }

        if (text.Contains("insufficient funds", StringComparison.Ordinal))
        {
            return new InsufficientFundsException(method, code, message, dataText, redacted);
        }

        var kind = Classify(text);
        return new RpcException(kind, method, code, message, dataText, endpoint: redacted);
    }

    private static RpcErrorKind Classify(string text)
    {
        if (text.Contains("already known", StringComparison.Ordinal) || text.Contains("known transaction", StringComparison.Ordinal) ||
            text.Contains("already imported", StringComparison.Ordinal) || text.Contains("already in mempool", StringComparison.Ordinal))
        {
            return RpcErrorKind.AlreadyKnown;
        }

        if (text.Contains("nonce too high", StringComparison.Ordinal))
        {
            return RpcErrorKind.NonceTooHigh;
        }

        if (text.Contains("underpriced", StringComparison.Ordinal) || text.Contains("less than block base fee", StringComparison.Ordinal) ||
            text.Contains("fee cap less than", StringComparison.Ordinal) || text.Contains("max fee per gas less than", StringComparison.Ordinal))
        {
            return RpcErrorKind.FeeTooLow;
        }

        if (text.Contains("intrinsic gas too low", StringComparison.Ordinal) || text.Contains("exceeds block gas limit", StringComparison.Ordinal) ||
            text.Contains("gas too low", StringComparison.Ordinal) || text.Contains("out of gas", StringComparison.Ordinal))
        {
            return RpcErrorKind.GasLimit;
        }

        return RpcErrorKind.Unknown;
    }

    /// <summary>
    /// Revert data arrives as a hex string (geth, anvil), as {"data": "0x…"} (Hardhat, some providers), or inside text
    /// like "Reverted 0x…" (Nethermind).
    /// </summary>
    private static byte[]? ExtractRevertData(JsonElement data, string? dataText)
    {
        if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("data", out var inner) && inner.ValueKind == JsonValueKind.String)
        {
            return TryHex(inner.GetString());
        }

        if (dataText is null)
        {
            return null;
        }

        var at = dataText.IndexOf("0x", StringComparison.Ordinal);
        return at < 0 ? null : TryHex(dataText[at..].Split(' ', '"')[0]);
    }

    private static byte[]? TryHex(string? text) =>
        text is not null && text.HasHexPrefix() && text.IsHex() && text.Length % 2 == 0 ? text.HexToByteArray() : null;
}
