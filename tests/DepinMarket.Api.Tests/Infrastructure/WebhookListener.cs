using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>One POST the listener received, as it arrived on the wire.</summary>
public sealed record ReceivedWebhook(string Path, string? Id, string? Timestamp, string? Signature, string? ContentType, byte[] Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public string Type => Json["type"]!.GetValue<string>();

    public JsonObject Data => Json["data"]!.AsObject();

    /// <summary>
    /// The receiver's check, written from the Standard Webhooks specification and not from the API's code (the same
    /// lines README gives integrators): HMAC-SHA256 with the base64-decoded secret over "id.timestamp.body".
    /// </summary>
    public bool IsSignedWith(string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.").Concat(Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return (Signature ?? "").Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
    }
}

/// <summary>
/// A real HTTP server on a loopback port that records every POST and answers what the test says (200 unless
/// <see cref="Respond"/> is set), optionally after a delay: the integrator's webhook receiver.
/// </summary>
public sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedWebhook> _arrivals = Channel.CreateUnbounded<ReceivedWebhook>();
    private readonly ConcurrentQueue<ReceivedWebhook> _all = new();

    private WebhookListener(WebApplication app) => _app = app;

    /// <summary>The status code for the n-th request (from 1); 200 by default.</summary>
    public Func<int, int> Respond { get; set; } = _ => 200;

    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public string BaseUrl { get; private set; } = "";

    public string Url(string path = "/hook") => BaseUrl + path;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _all];

    public static async Task<WebhookListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new WebhookListener(app);
        var count = 0;
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers;
            var received = new ReceivedWebhook(context.Request.Path, headers["webhook-id"].FirstOrDefault(), headers["webhook-timestamp"].FirstOrDefault(),
                headers["webhook-signature"].FirstOrDefault(), context.Request.ContentType, body.ToArray());
            var n = Interlocked.Increment(ref count);
            if (listener.Delay > TimeSpan.Zero)
            {
                await Task.Delay(listener.Delay);
            }
            listener._all.Enqueue(received);
            listener._arrivals.Writer.TryWrite(received);
            return Results.StatusCode(listener.Respond(n));
        });
        await app.StartAsync();
        listener.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return listener;
    }

    /// <summary>The next request to arrive (waiting up to <paramref name="timeout"/>, 30 s by default).</summary>
    public async Task<ReceivedWebhook> NextAsync(TimeSpan? timeout = null)
    {
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        return await _arrivals.Reader.ReadAsync(wait.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
