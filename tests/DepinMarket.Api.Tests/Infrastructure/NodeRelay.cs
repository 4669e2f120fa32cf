using System.Net;
using System.Net.Sockets;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// A loopback port that relays every connection to a chain node, until <see cref="GoDown"/>: then it cuts the open
/// connections and closes each new one at once, which is what a node that went down looks like to its clients,
/// while the node itself (and its chain) stays as it was for when <see cref="ComeUp"/> lets clients through again.
/// </summary>
public sealed class NodeRelay : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _node;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _up = true;

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
            var toNode = client.GetStream().CopyToAsync(node.GetStream(), _stop.Token);
            var toClient = node.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
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

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        GoDown();
        _stop.Dispose();
    }
}
