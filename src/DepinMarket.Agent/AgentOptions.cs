using System.Globalization;
using System.Text.RegularExpressions;

namespace DepinMarket.Agent;

public enum AgentCommand
{
    /// <summary>Register (once), heartbeat and answer storage challenges until stopped.</summary>
    Run,
    /// <summary>Print the answer to a storage challenge for one chunk of a file.</summary>
    Prove,
    /// <summary>Print the storage commitment of a file (what a client sends when it rents storage).</summary>
    Commit,
    Help,
}

/// <summary>
/// The command line, parsed by hand: System.CommandLine is not among the solution's packages, and a dozen options
/// do not need it. Every option of one command is refused by the others, so a typo never passes unnoticed.
/// </summary>
public sealed partial record AgentOptions
{
    public const string DefaultApi = "http://127.0.0.1:5080";

    public const string ApiKeyVariable = "DEPINMARKET_API_KEY";

    public const int MaxSimulatedNodes = 1000;

    public AgentCommand Command { get; init; } = AgentCommand.Run;

    public Uri Api { get; init; } = new(DefaultApi);

    /// <summary>A provider API key (dpm_…): needed to register a node and to declare an offer, not to heartbeat.</summary>
    public string? ApiKey { get; init; }

    public string Name { get; init; } = Environment.MachineName;

    public int IntervalSeconds { get; init; } = 30;

    public string StatePath { get; init; } = DefaultStatePath();

    /// <summary>Tokens per GPU-hour as a decimal string; when set, a compute offer is declared for the GPUs found.</summary>
    public string? OfferPrice { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country of the offer; the offers API requires one.</summary>
    public string? Region { get; init; }

    public string? City { get; init; }

    public string? StorageDir { get; init; }

    /// <summary>0 for the real machine; N to pretend to be N nodes with fake GPUs.</summary>
    public int Simulate { get; init; }

    public bool Once { get; init; }

    public bool Verbose { get; init; }

    public string? File { get; init; }

    public int Index { get; init; }

    public string? Nonce { get; init; }

    public const string Usage = """
        depinmarket-agent [run] [options]      register this machine as a node, heartbeat, answer storage challenges
        depinmarket-agent prove --file F --index I [--nonce 0x..]   print a challenge answer {"nonce","chunk","proof"}
        depinmarket-agent commit --file F      print {"merkleRoot","chunkCount","chunkSize"} for a storage rental

        run options:
          --api URL             node API base address (default http://127.0.0.1:5080)
          --api-key KEY         provider API key dpm_... (or DEPINMARKET_API_KEY); needed to register and offer
          --name NAME           node name (default: the machine name)
          --interval SECONDS    heartbeat interval asked for at registration (default 30)
          --state FILE          node ids, tokens and sequences (default ~/.config/depinmarket-agent/state.json)
          --offer-price TOKENS  declare a compute offer for the GPUs found, once, at this price per GPU-hour
          --region CC           the offer's country (ISO 3166-1 alpha-2); required with --offer-price
          --city NAME           the offer's city (optional)
          --storage-dir DIR     storage rental files, one per rental named by its rental id
          --simulate N          pretend to be N nodes with 8 fake H100s each
          --once                one heartbeat per node, then exit
          --verbose             one log line per heartbeat
        exit codes: 0 stopped cleanly, 1 error, 2 the API refused the key or token (401/403)
        """;

    private static readonly string[] RunOptions =
        ["--api", "--api-key", "--name", "--interval", "--state", "--offer-price", "--region", "--city", "--storage-dir", "--simulate"];

    private static readonly string[] RunFlags = ["--once", "--verbose"];

    /// <summary>Parses <paramref name="args"/>; <paramref name="environment"/> supplies DEPINMARKET_API_KEY.</summary>
    public static (AgentOptions? Options, string? Error) Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var position = 0;
        var command = AgentCommand.Run;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            AgentCommand? named = args[0] switch
            {
                "run" => AgentCommand.Run,
                "prove" => AgentCommand.Prove,
                "commit" => AgentCommand.Commit,
                "help" => AgentCommand.Help,
                _ => null,
            };
            if (named is null)
            {
                return (null, $"unknown command '{args[0]}' (run, prove, commit or help)");
            }
            command = named.Value;
            position = 1;
        }

        var (values, flags, error) = Split(args.Skip(position).ToList(), command);
        if (error is not null)
        {
            return (null, error);
        }
        if (flags.Contains("--help") || command == AgentCommand.Help)
        {
            return (new AgentOptions { Command = AgentCommand.Help }, null);
        }
        try
        {
            var options = command == AgentCommand.Run ? ForRun(values, flags, environment) : ForFile(command, values);
            return (options, null);
        }
        catch (FormatException ex)
        {
            return (null, ex.Message);
        }
    }

    private static AgentOptions ForRun(Dictionary<string, string> values, HashSet<string> flags, Func<string, string?> environment)
    {
        var options = new AgentOptions
        {
            Api = values.TryGetValue("--api", out var api) ? ParseApi(api) : new Uri(DefaultApi),
            ApiKey = values.GetValueOrDefault("--api-key") ?? NullIfBlank(environment(ApiKeyVariable)),
            Name = values.GetValueOrDefault("--name") ?? Environment.MachineName,
            IntervalSeconds = values.TryGetValue("--interval", out var interval) ? ParseInt("--interval", interval, 1, 86_400) : 30,
            StatePath = values.GetValueOrDefault("--state") ?? DefaultStatePath(),
            OfferPrice = values.GetValueOrDefault("--offer-price"),
            Region = values.GetValueOrDefault("--region")?.ToUpperInvariant(),
            City = values.GetValueOrDefault("--city"),
            StorageDir = values.GetValueOrDefault("--storage-dir"),
            Simulate = values.TryGetValue("--simulate", out var simulate) ? ParseInt("--simulate", simulate, 1, MaxSimulatedNodes) : 0,
            Once = flags.Contains("--once"),
            Verbose = flags.Contains("--verbose"),
        };
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            throw new FormatException("--name must not be empty");
        }
        if (options.OfferPrice is not null && !TokenAmountPattern().IsMatch(options.OfferPrice))
        {
            throw new FormatException($"--offer-price must be a decimal number of tokens such as 2.5; got '{options.OfferPrice}'");
        }
        if (options.OfferPrice is not null && options.Region is null)
        {
            throw new FormatException("--offer-price needs --region (the offer's ISO 3166-1 alpha-2 country, e.g. DE)");
        }
        if (options.Region is not null && !CountryCodePattern().IsMatch(options.Region))
        {
            throw new FormatException($"--region must be a two-letter country code such as DE; got '{options.Region}'");
        }
        return options;
    }

    private static AgentOptions ForFile(AgentCommand command, Dictionary<string, string> values)
    {
        var file = values.GetValueOrDefault("--file") ?? throw new FormatException($"{command.ToString().ToLowerInvariant()} needs --file");
        if (command == AgentCommand.Commit)
        {
            return new AgentOptions { Command = command, File = file };
        }
        var index = values.TryGetValue("--index", out var text) ? ParseInt("--index", text, 0, int.MaxValue) : throw new FormatException("prove needs --index");
        var nonce = values.GetValueOrDefault("--nonce");
        if (nonce is not null && !NoncePattern().IsMatch(nonce))
        {
            throw new FormatException($"--nonce must be 0x and 64 hex digits, as the challenge gives it; got '{nonce}'");
        }
        return new AgentOptions { Command = command, File = file, Index = index, Nonce = nonce?.ToLowerInvariant() };
    }

    /// <summary>Reads "--name value" and "--name=value" pairs and bare flags, refusing what the command does not take.</summary>
    private static (Dictionary<string, string> Values, HashSet<string> Flags, string? Error) Split(List<string> args, AgentCommand command)
    {
        var takes = command switch
        {
            AgentCommand.Run => RunOptions,
            AgentCommand.Prove => ["--file", "--index", "--nonce"],
            AgentCommand.Commit => ["--file"],
            _ => [],
        };
        var flagsTaken = command == AgentCommand.Run ? RunFlags : [];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            if (name is "--help" or "-h")
            {
                flags.Add("--help");
            }
            else if (flagsTaken.Contains(name) && inline is null)
            {
                flags.Add(name);
            }
            else if (takes.Contains(name))
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : null);
                if (value is null)
                {
                    return (values, flags, $"{name} needs a value");
                }
                if (!values.TryAdd(name, value))
                {
                    return (values, flags, $"{name} is given twice");
                }
            }
            else
            {
                return (values, flags, $"unknown option '{args[i]}' for {command.ToString().ToLowerInvariant()}");
            }
        }
        return (values, flags, null);
    }

    private static Uri ParseApi(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new FormatException($"--api must be an http or https address; got '{text}'");

    private static int ParseInt(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException($"{name} must be a whole number from {min} to {max}; got '{text}'");

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <summary>~/.config/depinmarket-agent/state.json, or under $XDG_CONFIG_HOME when set.</summary>
    private static string DefaultStatePath() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify),
            "depinmarket-agent", "state.json");

    [GeneratedRegex(@"^\d+(\.\d+)?$")]
    private static partial Regex TokenAmountPattern();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryCodePattern();

    [GeneratedRegex("^0[xX][0-9a-fA-F]{64}$")]
    private static partial Regex NoncePattern();
}
