using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DepinMarket.Domain.Webhooks;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Webhooks;

/// <summary>One delivery as the worker claimed it: what to send, where, and the secret to sign it with.</summary>
public sealed record ClaimedDelivery(long Id, int Attempts, Guid MessageId, string EventType, string Payload, string Url, string Secret);

/// <summary>What one attempt got: the receiver's status code, or why there was none.</summary>
public sealed record AttemptOutcome(int? StatusCode, string? Error, int DurationMs)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Sends one signed delivery over HTTP: POST of the payload's bytes with the Standard Webhooks headers (webhook-id,
/// webhook-timestamp, webhook-signature), signed afresh per attempt so the timestamp is current. Redirects are not
/// followed (a 3xx is a failed attempt), and the connection is made by <see cref="ConnectAsync"/>, which refuses
/// private addresses after resolving the name, unless the operator allows them.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory httpClients, IOptions<WebhookOptions> options, TimeProvider clock)
{
    public const string HttpClientName = "webhooks";

    private const int MaxErrorLength = 500;

    public async Task<AttemptOutcome> SendAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        var messageId = WebhookMessageRecord.HeaderId(delivery.MessageId);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(WebhookSecret.KeyOf(delivery.Secret), messageId, timestamp, body));

        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return new AttemptOutcome((int)response.StatusCode, null, Elapsed(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(null, $"no answer within {options.Value.Timeout.TotalSeconds:0.###} s (Webhooks:Timeout)", Elapsed(started));
        }
        catch (HttpRequestException ex)
        {
            return new AttemptOutcome(null, Describe(ex), Elapsed(started));
        }
    }

    /// <summary>The primary handler of the "webhooks" HTTP client.</summary>
    public static SocketsHttpHandler CreateHandler(WebhookOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = options.Timeout,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, options.AllowPrivateNetworks, cancellationToken),
    };

    /// <summary>
    /// Resolves the host and connects only to addresses it may reach: checking the name before the request would let a
    /// DNS answer that changes in between (rebinding) reach the private network anyway.
    /// </summary>
    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = allowPrivate ? addresses : addresses.Where(a => !PrivateAddresses.Contains(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebhookAddressRefusedException(
                $"{endpoint.Host} resolves only to private or loopback addresses ({string.Join(", ", addresses.Take(3))}), which webhooks may not reach here " +
                "(Webhooks:AllowPrivateNetworks)");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Describe(HttpRequestException ex)
    {
        var text = ex.InnerException is WebhookAddressRefusedException refused ? refused.Message
            : ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{ex.Message} ({inner.Message})"
            : ex.Message;
        return text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
    }

    private static int Elapsed(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}

internal sealed class WebhookAddressRefusedException(string message) : Exception(message);
