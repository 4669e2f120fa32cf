using System.Diagnostics;
using System.Text;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// A process run to its end the way a developer runs it: the built API as a one-shot command
/// (`DepinMarket.Api seed-demo ...`), or a script of the repository.
/// </summary>
internal static class ApiCommand
{
    /// <summary>Runs the built API with <paramref name="arguments"/> and returns its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = StartInfo("dotnet", [ApiProcess.BuiltAssembly, .. arguments], environment);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"DepinMarket.Api {string.Join(' ', arguments)} did not finish within 2 minutes.");
        }
        return (process.ExitCode, new StringBuilder().Append(await stdout).Append(await stderr).ToString());
    }

    /// <summary>
    /// A start of <paramref name="fileName"/> with output redirected and with none of the test process's own host
    /// settings (content root, environment name, `Section__Key` variables), only <paramref name="environment"/>.
    /// </summary>
    public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) ||
                     k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal) || k.Contains("__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return start;
    }
}
