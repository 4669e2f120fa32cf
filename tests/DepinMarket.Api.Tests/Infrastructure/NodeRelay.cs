using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>What <see cref="NodeRelay.Intercept"/> does to a request that contains its marker.</summary>
public enum NodeFault
{
    /// <summary>Passed on as usual, only counted.</summary>
    None,

    /// <summary>Never reaches the node: the connection is cut instead (a broadcast that failed on the way).</summary>
    Lost,

    /// <summary>Reaches the node, but its answer does not come back: the connection is cut once the node answers (a broadcast then a disconnect).</summary>
    Unanswered,

    /// <summary>Waits at the relay until the interception is released (or disposed), then goes on to the node.</summary>
    Held,

    /// <summary>Never reaches the node: the relay answers it itself with a JSON-RPC error (a node that fails the call).</summary>
    Failed,
}

/// <summary>
/// A loopback port that relays every connection to a chain node, until <see cref="GoDown"/>: then it cuts the open
/// connections and closes each new one at once, which is what a node that went down looks like to its clients,
/// while the node itself (and its chain) stays as it was for when <see cref="ComeUp"/> lets clients through again.
/// <see cref="Intercept"/> picks out requests by a marker in their bytes (a JSON-RPC method name) and loses them, cuts
/// their answer or holds them. HttpClient sends a request again on a fresh connection when a reused one closes before
/// any answer: an interception lasts until disposed, so that second try meets the same fault.
/// </summary>
public sealed class NodeRelay : IDisposable
{
    // Enough of the previous read to find a marker cut in two by the TCP stream.
    private const int Overlap = 64;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _node;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _up = true;
    private volatile Interception? _interception;

    public NodeRelay(Uri node)
    {
        _node = node;
        _listener.Start();
        _ = AcceptForeverAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public void GoDown()
    {
        _up = false;
        lock (_open)
        {
            _open.ForEach(c => c.Dispose());
            _open.Clear();
        }
    }

    public void ComeUp() => _up = true;

    /// <summary>Applies <paramref name="fault"/> to every request containing <paramref name="marker"/> until disposed (one interception at a time).</summary>
    public Interception Intercept(string marker, NodeFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(marker.Length, Overlap);
        var interception = new Interception(this, marker, fault);
        if (Interlocked.CompareExchange(ref _interception, interception, null) is not null)
        {
            throw new InvalidOperationException("Another interception is active.");
        }
        return interception;
    }

    /// <summary>An active interception: how many requests it met, and (for <see cref="NodeFault.Held"/>) their release.</summary>
    public sealed class Interception(NodeRelay relay, string marker, NodeFault fault) : IDisposable
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _met;

        public string Marker => marker;

        public NodeFault Fault => fault;

        /// <summary>Requests that contained the marker so far.</summary>
        public int Met => Volatile.Read(ref _met);

        internal Task Released => _released.Task;

        internal void Meet() => Interlocked.Increment(ref _met);

        /// <summary>Lets held requests (and later ones) go on to the node.</summary>
        public void Release() => _released.TrySetResult();

        public void Dispose()
        {
            Interlocked.CompareExchange(ref relay._interception, null, this);
            Release();
        }
    }

    private async Task AcceptForeverAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                if (_up)
                {
                    _ = RelayAsync(client);
                }
                else
                {
                    client.Dispose();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Disposed.
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var node = new TcpClient();
        lock (_open)
        {
            _open.Add(client);
            _open.Add(node);
        }
        try
        {
            await node.ConnectAsync(_node.Host, _node.Port, _stop.Token);
            var withhold = new Withhold();
            var toNode = RequestsAsync(client, node, withhold);
            var toClient = AnswersAsync(node, client, withhold);
            await Task.WhenAny(toNode, toClient);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // A side hung up, or the relay went down: either way this connection is over.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(client);
                _open.Remove(node);
            }
            client.Dispose();
            node.Dispose();
        }
    }

    /// <summary>Client to node, looking for the interception's marker; returning ends the connection.</summary>
    private async Task RequestsAsync(TcpClient client, TcpClient node, Withhold withhold)
    {
        var from = client.GetStream();
        var to = node.GetStream();
        var buffer = new byte[16 * 1024];
        var tail = "";
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            var text = tail + Encoding.Latin1.GetString(buffer, 0, read);
            tail = text.Length > Overlap ? text[^Overlap..] : text;
            if (_interception is { } interception && text.Contains(interception.Marker, StringComparison.Ordinal))
            {
                interception.Meet();
                switch (interception.Fault)
                {
                    case NodeFault.Lost:
                        return;
                    case NodeFault.Unanswered:
                        withhold.Value = true;
                        break;
                    case NodeFault.Held:
                        await interception.Released.WaitAsync(_stop.Token);
                        break;
                    case NodeFault.Failed:
                        // Answered here, not forwarded (this request's bytes are all in this read: the client's requests are small).
                        await client.GetStream().WriteAsync(FailedAnswer(Encoding.Latin1.GetString(buffer, 0, read)), _stop.Token);
                        continue;
                }
            }
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    /// <summary>An HTTP answer carrying a JSON-RPC error for the request in <paramref name="request"/> (same id).</summary>
    private static byte[] FailedAnswer(string request)
    {
        var id = System.Text.RegularExpressions.Regex.Match(request, "\"id\"\\s*:\\s*(\\d+|\"[^\"]*\")") is { Success: true } m ? m.Groups[1].Value : "null";
        var body = $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"error\":{{\"code\":-32603,\"message\":\"injected by the test relay: internal error\"}}}}";
        return Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}");
    }

    /// <summary>Node to client; once a request's answer is to be withheld, its first bytes end the connection instead.</summary>
    private async Task AnswersAsync(TcpClient node, TcpClient client, Withhold withhold)
    {
        var from = node.GetStream();
        var to = client.GetStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0 && !withhold.Value)
        {
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        GoDown();
        _stop.Dispose();
    }

    /// <summary>Set once a request on the connection is to go unanswered.</summary>
    private sealed class Withhold
    {
        public volatile bool Value;
    }
}
