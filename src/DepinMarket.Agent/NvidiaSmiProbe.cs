using System.ComponentModel;
using System.Diagnostics;

namespace DepinMarket.Agent;

/// <summary>
/// Runs nvidia-smi when it is on PATH. A machine without it, or whose driver answers with an error ("No devices
/// were found", exit 6), has no GPUs to report: the node still heartbeats, with an empty list. Each distinct
/// problem is logged once, not every heartbeat.
/// </summary>
public sealed class NvidiaSmiProbe(AgentLog log, string subject) : IGpuProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private string? _lastProblem;

    public async Task<IReadOnlyList<GpuReading>> ReadAsync(CancellationToken cancellationToken)
    {
        var executable = FindOnPath("nvidia-smi");
        if (executable is null)
        {
            return Problem("nvidia-smi is not on PATH; reporting no GPUs");
        }
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in NvidiaSmiCsv.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start) ?? throw new Win32Exception("nvidia-smi did not start");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return Problem($"nvidia-smi gave no answer within {Timeout.TotalSeconds:0} s; reporting no GPUs");
            }
            if (process.ExitCode != 0)
            {
                var said = FirstLine(await output) ?? FirstLine(await errors) ?? "nothing";
                return Problem($"nvidia-smi exited with {process.ExitCode} ({said}); reporting no GPUs");
            }
            var gpus = NvidiaSmiCsv.Parse(await output);
            _lastProblem = null;
            return gpus;
        }
        catch (Exception ex) when (ex is Win32Exception or FormatException or IOException)
        {
            return Problem($"nvidia-smi could not be read ({ex.Message}); reporting no GPUs");
        }
    }

    /// <summary>The full path of <paramref name="program"/> in a directory of PATH, or null.</summary>
    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    private List<GpuReading> Problem(string problem)
    {
        if (problem != _lastProblem)
        {
            log.Info(subject, problem);
            _lastProblem = problem;
        }
        return [];
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
