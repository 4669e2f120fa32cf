using System.Net;
using System.Text;

namespace DepinMarket.Chain.Tests.Rpc;

/// <summary>
/// Fake HTTP transport that answers every request with a canned body. Only for testing how the client builds requests
/// and parses responses and errors; nothing here talks to a node.
/// </summary>
internal sealed class FakeHttpHandler(Func<string, (HttpStatusCode Status, string Body)> respond) : HttpMessageHandler
{
    public List<string> Requests { get; } = [];

    public static FakeHttpHandler Always(string body, HttpStatusCode status = HttpStatusCode.OK) => new(_ => (status, body));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestBody = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add(requestBody);
        var (status, body) = respond(requestBody);
        return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }
}

/// <summary>A fake transport that never answers until cancelled, to exercise the per-call timeout.</summary>
internal sealed class HangingHttpHandler : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}
