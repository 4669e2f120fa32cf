using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>A Serilog sink that keeps every rendered log line, so tests can read what the API logged.</summary>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public void Emit(LogEvent logEvent)
    {
        var properties = string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"));
        _lines.Enqueue($"{logEvent.RenderMessage(CultureInfo.InvariantCulture)} | {properties} | {logEvent.Exception}");
    }
}
