using System.Text;

namespace DepinMarket.Api.Data;

/// <summary>
/// The demo API keys kept on disk, so a later `seed-demo` can show them again (the database holds only their
/// hashes). The file is created readable and writable by its owner only (0600) from its first byte, never
/// chmod-ed afterwards, and replaced atomically (write a temporary file beside it, then rename), so a reader
/// sees the old keys or the new ones and never half a file.
/// </summary>
internal static class DemoKeysFile
{
    public const string ProviderLabel = "Demo provider API key: ";
    public const string ClientLabel = "Demo client API key:   ";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The two lines a developer reads, on screen and in the file alike.</summary>
    public static string Lines(string providerKey, string clientKey) =>
        $"{ProviderLabel}{providerKey}{Environment.NewLine}{ClientLabel}{clientKey}{Environment.NewLine}";

    /// <summary>The provider's and the client's key, or null when the file is missing or lacks either.</summary>
    public static (string Provider, string Client)? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        string? provider = null, client = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith(ProviderLabel, StringComparison.Ordinal))
            {
                provider = line[ProviderLabel.Length..].Trim();
            }
            else if (line.StartsWith(ClientLabel, StringComparison.Ordinal))
            {
                client = line[ClientLabel.Length..].Trim();
            }
        }
        return provider is { Length: > 0 } && client is { Length: > 0 } ? (provider, client) : null;
    }

    public static async Task WriteAsync(string path, string providerKey, string clientKey, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }
        try
        {
            await using (var stream = new FileStream(temporary, options))
            {
                var text = "# DepinMarket demo API keys, for the local demo database only. `seed-demo` shows them again."
                    + Environment.NewLine + Lines(providerKey, clientKey);
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
