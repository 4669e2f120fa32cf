using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// scripts/run.sh started as <c>./scripts/run.sh &amp;</c> from a non-interactive shell (a script, a CI step, a supervisor),
/// which starts it with SIGINT ignored, on free ports, with its own data folder and the API already built by this
/// test run (DEPINMARKET_API_BIN, so no build). Every process it starts inherits a marker variable, so the test can
/// find anything left behind.
/// </summary>
internal sealed class BackgroundRunScript : IAsyncDisposable
{
    private const string MarkerVariable = "DEPINMARKET_RUN_TEST_MARKER";

    private readonly Process _shell;
    private readonly string _marker;

    private BackgroundRunScript(Process shell, int pid, string marker, string logFile, int[] ports)
    {
        _shell = shell;
        Pid = pid;
        _marker = marker;
        LogFile = logFile;
        Ports = ports;
    }

    /// <summary>run.sh's own process id.</summary>
    public int Pid { get; }

    public string LogFile { get; }

    /// <summary>The API's, anvil's and PostgreSQL's ports.</summary>
    public int[] Ports { get; }

    public string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    /// <summary>Starts run.sh in the background of a `bash -c` and waits until the API answers /health/live.</summary>
    public static async Task<BackgroundRunScript> StartAsync(string dataFolder)
    {
        var ports = FreePorts(3);
        var (apiPort, anvilPort, pgPort) = (ports[0], ports[1], ports[2]);
        var marker = Guid.NewGuid().ToString("N");
        var logFile = Path.Combine(dataFolder, $"run-{marker}.log");
        var start = ApiCommand.StartInfo("bash",
            ["-c", """ "$0" >"$1" 2>&1 & echo "$!"; wait "$!" """, Path.Combine(RepositoryRoot.Path, "scripts", "run.sh"), logFile],
            new Dictionary<string, string>
            {
                ["DEPINMARKET_URL"] = $"http://127.0.0.1:{apiPort}",
                ["DEPINMARKET_ANVIL_PORT"] = anvilPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["DEPINMARKET_PG_PORT"] = pgPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["DEPINMARKET_DATA"] = dataFolder,
                ["DEPINMARKET_API_BIN"] = Path.GetDirectoryName(ApiProcess.BuiltAssembly)!,
                [MarkerVariable] = marker,
            });
        start.RedirectStandardInput = true;
        var shell = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        shell.StandardInput.Close();
        var pid = int.Parse(await shell.StandardOutput.ReadLineAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
        var script = new BackgroundRunScript(shell, pid, marker, logFile, ports);
        await script.WaitUntilServingAsync(new Uri($"http://127.0.0.1:{apiPort}/health/live"));
        return script;
    }

    /// <summary>Sends <paramref name="signal"/> (INT, TERM, HUP, KILL) to run.sh alone.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>run.sh's exit status as its shell saw it (128 + the signal's number when a signal ended it).</summary>
    public async Task<int> ExitCodeAsync()
    {
        // Generous: the test is about stopping at all, and a shared machine under load stops slowly.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await _shell.WaitForExitAsync(timeout.Token);
        return _shell.ExitCode;
    }

    /// <summary>Waits (up to 30 s) until no process carries this run's marker, and returns those still left then.</summary>
    public async Task<IReadOnlyList<string>> LeftoverProcessesAsync()
    {
        var left = MarkedProcesses();
        for (var attempt = 0; attempt < 300 && left.Count > 0; attempt++)
        {
            await Task.Delay(100);
            left = MarkedProcesses();
        }
        return left;
    }

    /// <summary>Whether anything accepts connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool IsListening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private List<string> MarkedProcesses()
    {
        var needle = Encoding.UTF8.GetBytes($"{MarkerVariable}={_marker}\0");
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                if (File.ReadAllBytes(Path.Combine(dir, "environ")).AsSpan().IndexOf(needle) >= 0)
                {
                    found.Add($"{Path.GetFileName(dir)}: {File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ')}");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or another user's process: not ours.
            }
        }
        return found;
    }

    private async Task WaitUntilServingAsync(Uri live)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        // Generous: the first run creates a PostgreSQL cluster, and the machine may be busy.
        for (var attempt = 0; attempt < 1800; attempt++)
        {
            if (_shell.HasExited)
            {
                throw new InvalidOperationException($"run.sh exited with {_shell.ExitCode} before serving:\n{Log}");
            }
            try
            {
                if ((await http.GetAsync(live)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not serving yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"run.sh did not serve {live} within 3 minutes:\n{Log}");
    }

    /// <summary>Whatever the test left running is stopped, so a failed test cannot leave services on a shared machine.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_shell.HasExited)
        {
            await SignalAsync("TERM");
            await _shell.WaitForExitAsync();
        }
        _shell.Dispose();
    }

    private static int[] FreePorts(int count)
    {
        // Held together until all are picked, so the kernel hands out distinct ports.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
