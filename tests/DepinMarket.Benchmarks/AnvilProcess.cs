using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

/// <summary>
/// A private anvil for the gas benchmark, started through scripts/anvil-node.sh (which runs `npm ci` in src/contracts
/// when anvil is missing) on a free loopback port, the way the live tests' AnvilNode does; stopped on dispose, and by
/// the script's watchdog if this process is killed first. <see cref="StartAsync"/> takes extra anvil flags
/// (ANVIL_EXTRA_ARGS), e.g. "--enable-tx-gas-limit".
/// </summary>
internal sealed class AnvilProcess(Uri rpcUrl, string script, string pidFile) : IAsyncDisposable
{
    // anvil's default dev accounts 0-2 (mnemonic "test test … junk"): well-known PUBLIC keys anyone can sign with.
    // Only for a local anvil chain; never on a real network.
    public static readonly string[] DevKeys =
    [
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    ];

    public Uri RpcUrl { get; } = rpcUrl;

    public static async Task<AnvilProcess> StartAsync(string repositoryRoot, string extraArgs)
    {
        var script = Path.Combine(repositoryRoot, "scripts", "anvil-node.sh");
        var logFile = Path.Combine(Directory.CreateTempSubdirectory("depinmarket-gasbench-").FullName, "anvil.log");
        string? lastError = null;
        // The port is free when picked and bound by anvil a moment later; someone else may take it in between.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (exitCode, output, error) = await RunAsync(script, extraArgs, "start", FreeLoopbackPort().ToString(CultureInfo.InvariantCulture), logFile);
            if (exitCode == 0)
            {
                return new AnvilProcess(new Uri(output.Trim()), script, logFile + ".pid");
            }
            lastError = $"exit code {exitCode}: {error.Trim()}";
        }
        throw new InvalidOperationException($"scripts/anvil-node.sh could not start anvil ({lastError}); log: {logFile}");
    }

    /// <summary>The repository: --repo, else the first folder holding DepinMarket.sln above the working directory or this tool.</summary>
    public static string FindRepositoryRoot(Bench.Options o)
    {
        if (o.Has("repo"))
        {
            return o.Get("repo");
        }
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DepinMarket.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("No DepinMarket.sln above the working directory: pass --repo DIR or --rpc URL.");
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync(script, string.Empty, "stop", pidFile);
        Directory.Delete(Path.GetDirectoryName(pidFile)!, recursive: true);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string script, string extraArgs, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // The script's watchdog stops anvil once this process is gone, even when it is killed outright.
        start.Environment["OWNER_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        start.Environment["ANVIL_EXTRA_ARGS"] = extraArgs;
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
