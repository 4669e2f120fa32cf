using Serilog.Core;
using Serilog.Events;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// Sits in front of every log sink and rewrites each event with <see cref="SecretRedaction"/> applied to its
/// string properties and its exception text, so no logger anywhere (ours, ASP.NET Core's, Kestrel's, EF Core's)
/// can write an API key that arrived in a URL.
/// </summary>
internal sealed class RedactingSink(ILogEventSink inner) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, Redact(p.Value)));
        var exception = logEvent.Exception is { } ex && SecretRedaction.Redact(ex.ToString()) is var text && text != ex.ToString()
            ? new RedactedException(text)
            : logEvent.Exception;
        inner.Emit(new LogEvent(logEvent.Timestamp, logEvent.Level, exception, logEvent.MessageTemplate, properties,
            logEvent.TraceId ?? default, logEvent.SpanId ?? default));
    }

    private static LogEventPropertyValue Redact(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string s } => new ScalarValue(SecretRedaction.Redact(s)),
        SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Redact)),
        StructureValue structure => new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, Redact(p.Value))), structure.TypeTag),
        DictionaryValue dictionary => new DictionaryValue(dictionary.Elements.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(e.Key, Redact(e.Value)))),
        _ => value,
    };

    /// <summary>Stands in for an exception whose text carried a secret: the redacted text, type and stack included.</summary>
    private sealed class RedactedException(string redactedText) : Exception(redactedText)
    {
        public override string ToString() => Message;
    }
}
