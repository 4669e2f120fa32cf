using System.Globalization;

namespace DepinMarket.Agent;

/// <summary>
/// One line per event on standard error (standard output is kept for the JSON of prove and commit):
/// a UTC time, the node the line is about, and what happened. Refusals and failures are always written;
/// routine lines (an accepted heartbeat) only with --verbose.
/// </summary>
public sealed class AgentLog(TextWriter writer, bool verbose, TimeProvider time)
{
    private readonly Lock _lock = new();

    public bool IsVerbose => verbose;

    /// <summary>A line that is always written: a refusal, a failure, a change of state.</summary>
    public void Info(string subject, string message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {subject}: {message}");
        lock (_lock)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    /// <summary>A routine line, written only with --verbose.</summary>
    public void Verbose(string subject, string message)
    {
        if (verbose)
        {
            Info(subject, message);
        }
    }
}
