using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text.Json;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Signing;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Live;

/// <summary>
/// A real EVM node for the live tests: DEPINMARKET_TEST_RPC when set (a node you run yourself; it must be anvil, or
/// something that knows anvil_mine and anvil's dev accounts), otherwise a private anvil started through
/// scripts/anvil-node.sh on a free loopback port. Started lazily, once per test process, and stopped when the
/// process exits, so it depends on nothing started by hand: on a clean clone the script runs `npm ci` in
/// src/contracts first (anvil_install).
/// </summary>
public sealed class AnvilNode : IAsyncLifetime
{
    /// <summary>Environment variable naming an existing node to test against instead of starting one.</summary>
    public const string RpcEnvironmentVariable = "DEPINMARKET_TEST_RPC";

    public const long ChainId = 31337;

    // anvil's default dev accounts (mnemonic "test test … junk"): well-known PUBLIC keys that anyone can sign with.
    // Only ever used here, against a local anvil chain; never on a real network.
    private static readonly string[] AnvilDevKeys =
    [
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
        "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
        "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    ];

    private static readonly Lazy<Task<StartedNode>> Node = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly HttpClient _http = new();

    // Set for a node started by StartPrivateAsync, which this fixture stops when disposed.
    private StartedNode? _private;

    /// <summary>The node's JSON-RPC URL (valid once xunit has run <see cref="InitializeAsync"/>).</summary>
    public Uri RpcUrl { get; private set; } = null!;

    /// <summary>A raw client for calls the library does not wrap (anvil_mine, eth_sign).</summary>
    public EthJsonRpcClient Rpc => new(_http, RpcUrl, TimeSpan.FromSeconds(10));

    /// <summary>The private key of anvil dev account <paramref name="index"/>, for configuring a server under test.</summary>
    public static string DevKey(int index) => AnvilDevKeys[index];

    /// <summary>anvil dev account <paramref name="index"/> as a signer (see the warning on <see cref="AnvilDevKeys"/>).</summary>
    public static LocalEthSigner Signer(int index) => new(AnvilDevKeys[index]);

    /// <summary>The address of anvil dev account <paramref name="index"/>.</summary>
    public static EthereumAddress Account(int index) => Signer(index).Address;

    /// <summary>Options for this node: fast polling, short timeouts, so the live suite stays quick.</summary>
    public ChainOptions Options(int confirmations = 1, TimeSpan? receiptTimeout = null) => new()
    {
        RpcUrl = RpcUrl,
        ChainId = ChainId,
        ConfirmationDepth = confirmations,
        RequestTimeout = TimeSpan.FromSeconds(10),
        ReceiptPollInterval = TimeSpan.FromMilliseconds(25),
        ReceiptTimeout = receiptTimeout ?? TimeSpan.FromSeconds(20),
    };

    /// <summary>A client signing with dev account <paramref name="account"/>, or read-only when null.</summary>
    public ChainClient Client(int? account = 0, int confirmations = 1, TimeSpan? receiptTimeout = null) =>
        new(_http, Options(confirmations, receiptTimeout), account is { } i ? Signer(i) : null);

    /// <summary>Mines <paramref name="blocks"/> empty blocks (anvil_mine).</summary>
    public async Task MineAsync(int blocks)
    {
        await Rpc.SendRequestAsync<JsonElement>("anvil_mine", CancellationToken.None, new BigInteger(blocks));
    }

    /// <summary>
    /// A node for this fixture alone, never the shared one nor DEPINMARKET_TEST_RPC's: for tests that change how the
    /// chain behaves (mining switched off, code replaced), which would break every other test on a shared node.
    /// Stopped when the fixture is disposed.
    /// </summary>
    public static async Task<AnvilNode> StartPrivateAsync()
    {
        var node = new AnvilNode { _private = await StartNewAsync() };
        node.RpcUrl = node._private.RpcUrl;
        return node;
    }

    /// <summary>Starts the node on first use in this process (or waits for the start another collection began).</summary>
    public async Task InitializeAsync() => RpcUrl = _private?.RpcUrl ?? (await Node.Value).RpcUrl;

    /// <summary>The shared node lives until the process exits; only this fixture's HTTP client (and private node) goes.</summary>
    public Task DisposeAsync()
    {
        _http.Dispose();
        _private?.Stop(Script);
        return Task.CompletedTask;
    }

    private static string Script => Path.Combine(FindRepositoryRoot(), "scripts", "anvil-node.sh");

    private static async Task<StartedNode> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(RpcEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new StartedNode(new Uri(configured), null);
        }

        var node = await StartNewAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => node.Stop(Script);
        return node;
    }

    private static async Task<StartedNode> StartNewAsync()
    {
        var script = Script;
        var directory = Directory.CreateTempSubdirectory("depinmarket-anvil-");
        var logFile = Path.Combine(directory.FullName, "anvil.log");
        string? lastError = null;
        // The free port is found here and bound by anvil a moment later; another process can take it in between, so retry.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreeLoopbackPort();
            var (exitCode, output, error) = await RunAsync(script, ["start", port.ToString(System.Globalization.CultureInfo.InvariantCulture), logFile], TimeSpan.FromMinutes(3));
            if (exitCode == 0)
            {
                return new StartedNode(new Uri(output.Trim()), logFile + ".pid");
            }

            lastError = $"exit code {exitCode}: {error}";
        }

        throw new InvalidOperationException($"scripts/anvil-node.sh could not start anvil ({lastError}). Log: {logFile}");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DepinMarket.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No DepinMarket.sln above {AppContext.BaseDirectory}; set {RpcEnvironmentVariable} to test against a running node.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string script, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // The script's watchdog stops anvil when this process is gone, even if it is killed before its exit handlers run.
        start.Environment["OWNER_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return (process.ExitCode, await output, await error);
    }

    private sealed record StartedNode(Uri RpcUrl, string? PidFile)
    {
        public void Stop(string script)
        {
            if (PidFile is null)
            {
                return;
            }

            try
            {
                // anvil_stop: SIGTERM, SIGKILL after 5 s, and only if the pid is still anvil.
                RunAsync(script, ["stop", PidFile], TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
                Directory.Delete(Path.GetDirectoryName(PidFile)!, recursive: true);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
            {
                // Process exit: nothing left to report to.
            }
        }
    }
}

/// <summary>The live tests share one node and run one after another (they send from the same dev accounts).</summary>
[CollectionDefinition(Name)]
public sealed class AnvilTestGroup : ICollectionFixture<AnvilNode>
{
    public const string Name = "anvil";
}
