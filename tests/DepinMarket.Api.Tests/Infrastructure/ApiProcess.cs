using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// The built API binary started as its own process, the way scripts/run.sh and deployments start it: for what
/// the in-process test host cannot show (the content root, environment variables, the process's own output).
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ApiProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The API built next to these tests (same configuration), as its build left it.</summary>
    public static string BuiltAssembly
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = testBin.Parent!.Name;
            return Path.Combine(RepositoryRoot.Path, "src", "DepinMarket.Api", "bin", configuration, testBin.Name, "DepinMarket.Api.dll");
        }
    }

    /// <summary>Starts the API in <paramref name="workingDirectory"/> with only the given environment settings and waits until it is live.</summary>
    public static async Task<ApiProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuiltAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url.ToString().TrimEnd('/'));
        // The test process's own environment may name a content root or settings; the child must not inherit them.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) ||
                     k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal) || k.Contains("__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var api = new ApiProcess(process, url);
        process.OutputDataReceived += (_, e) => api.Append(e.Data);
        process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await api.WaitUntilLiveAsync();
        return api;
    }

    public HttpClient Client() => new() { BaseAddress = Url };

    /// <summary>
    /// Waits until the process has written a line containing <paramref name="text"/> (the request log is written
    /// after the response is sent, and the console sink is asynchronous), and returns all output up to then.
    /// </summary>
    public async Task<string> WaitForOutputAsync(string text)
    {
        for (var attempt = 0; attempt < 200 && !Output.Contains(text, StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(50);
        }
        var output = Output;
        Assert.True(output.Contains(text, StringComparison.Ordinal), $"the API never wrote \"{text}\":\n{output}");
        return output;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilLiveAsync()
    {
        using var http = Client();
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The API exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await http.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The API did not come up at {Url}:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
