using System.Text.Json;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Agent.Tests;

public sealed class FileCommandsTests : IDisposable
{
    private const string Nonce = "0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    private readonly string _file = Path.GetTempFileName();

    private readonly byte[] _data = new byte[(6 * 4096) + 77];

    public FileCommandsTests()
    {
        new Random(7).NextBytes(_data);
        File.WriteAllBytes(_file, _data);
    }

    [Fact]
    public void Commit_prints_the_root_chunk_count_and_chunk_size_of_the_file()
    {
        var commitment = Commit();

        Assert.Equal(StorageMerkleTree.Build(_data).Root.ToHex(prefix: true), commitment.GetProperty("merkleRoot").GetString());
        Assert.Equal(7, commitment.GetProperty("chunkCount").GetInt32());
        Assert.Equal(4096, commitment.GetProperty("chunkSize").GetInt32());
    }

    [Fact]
    public void Prove_prints_for_every_index_a_chunk_and_proof_that_verify_against_the_committed_root()
    {
        var commitment = Commit();
        var root = commitment.GetProperty("merkleRoot").GetString()!.HexToByteArray();

        for (var index = 0; index < 7; index++)
        {
            var answer = Run(FileCommands.Prove, "prove", "--file", _file, "--index", $"{index}", "--nonce", Nonce);
            var chunk = Convert.FromBase64String(answer.GetProperty("chunk").GetString()!);
            var proof = answer.GetProperty("proof").EnumerateArray().Select(p => p.GetString()!.HexToByteArray()).ToList();

            Assert.Equal(_data.AsSpan(index * 4096, Math.Min(4096, _data.Length - (index * 4096))).ToArray(), chunk);
            Assert.True(StorageMerkleTree.Verify(root, 7, index, StorageMerkleTree.LeafOf(chunk), proof), $"index {index}");
        }
    }

    [Fact]
    public void Prove_echoes_the_nonce_it_was_given()
    {
        var answer = Run(FileCommands.Prove, "prove", "--file", _file, "--index", "0", "--nonce", Nonce);

        Assert.Equal(Nonce, answer.GetProperty("nonce").GetString());
    }

    [Fact]
    public void Prove_prints_exactly_the_members_of_an_answer_body()
    {
        var answer = Run(FileCommands.Prove, "prove", "--file", _file, "--index", "0", "--nonce", Nonce);

        Assert.Equal(["chunk", "nonce", "proof"], answer.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public void Prove_of_an_index_past_the_last_chunk_fails_with_exit_code_1_and_says_how_many_there_are()
    {
        var (exitCode, _, errors) = Invoke(FileCommands.Prove, "prove", "--file", _file, "--index", "7");

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Contains("7 chunks", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Commit_of_an_empty_file_fails_because_a_commitment_needs_a_chunk()
    {
        File.WriteAllBytes(_file, []);

        var (exitCode, output, _) = Invoke(FileCommands.Commit, "commit", "--file", _file);

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Empty(output);
    }

    [Fact]
    public void Commit_of_a_missing_file_fails_with_exit_code_1()
    {
        var (exitCode, _, _) = Invoke(FileCommands.Commit, "commit", "--file", _file + ".missing");

        Assert.Equal(ExitCodes.Error, exitCode);
    }

    public void Dispose() => File.Delete(_file);

    private JsonElement Commit() => Run(FileCommands.Commit, "commit", "--file", _file);

    private static JsonElement Run(Func<AgentOptions, TextWriter, TextWriter, int> command, params string[] args)
    {
        var (exitCode, output, errors) = Invoke(command, args);
        Assert.True(exitCode == ExitCodes.Ok, errors);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static (int ExitCode, string Output, string Errors) Invoke(Func<AgentOptions, TextWriter, TextWriter, int> command, params string[] args)
    {
        var (options, error) = AgentOptions.Parse(args, _ => null);
        Assert.True(options is not null, error);
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exitCode = command(options, output, errors);
        return (exitCode, output.ToString(), errors.ToString());
    }
}
