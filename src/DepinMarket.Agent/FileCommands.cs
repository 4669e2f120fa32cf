using System.Text.Json;

namespace DepinMarket.Agent;

/// <summary>
/// prove and commit: the reference prover, so a provider (or a client renting storage) can work from a script with
/// curl. Both print one JSON object on standard output, in the API's shapes; errors go to standard error.
/// </summary>
public static class FileCommands
{
    /// <summary>Prints {"merkleRoot","chunkCount","chunkSize"}: what a client sends when it rents storage.</summary>
    public static int Commit(AgentOptions options, TextWriter output, TextWriter errors) =>
        Print(output, errors, () => new StorageProver().Commit(Required(options).File!));

    /// <summary>Prints {"nonce","chunk","proof"}: the body of POST /v1/nodes/{id}/challenges/{challengeId}/answer.</summary>
    public static int Prove(AgentOptions options, TextWriter output, TextWriter errors) =>
        Print(output, errors, () => new StorageProver().Prove(Required(options).File!, options.Index, options.Nonce));

    private static AgentOptions Required(AgentOptions options) =>
        options?.File is null ? throw new ArgumentException("--file is required") : options;

    private static int Print<T>(TextWriter output, TextWriter errors, Func<T> make)
    {
        try
        {
            output.WriteLine(JsonSerializer.Serialize(make(), AgentJson.Options));
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            errors.WriteLine($"depinmarket-agent: {ex.Message}");
            return ExitCodes.Error;
        }
    }
}
