using System.Text.Json;

namespace DepinMarket.Agent;

/// <summary>
/// Keeps <see cref="AgentState"/> in a JSON file that holds node tokens, so only its owner may read it (0600, in a
/// 0700 directory). Every change is written to a temporary file beside it and renamed over it: a crash mid-write
/// leaves the old file or the new one, never half of one. Nodes of a --simulate run share one store; a lock keeps
/// their updates from overwriting each other.
/// </summary>
public sealed class AgentStateStore
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    private readonly Lock _lock = new();

    private AgentState _state;

    private AgentStateStore(string path, AgentState state)
    {
        Path = path;
        _state = state;
    }

    public string Path { get; }

    /// <summary>
    /// Reads the file, or starts empty when there is none. A file that is not valid state throws
    /// <see cref="InvalidDataException"/>: starting empty would register every node again under a new id.
    /// </summary>
    public static AgentStateStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            return new AgentStateStore(path, AgentState.Empty);
        }
        try
        {
            var state = JsonSerializer.Deserialize<AgentState>(File.ReadAllText(path), AgentJson.Options)
                ?? throw new InvalidDataException("it holds null");
            return new AgentStateStore(path, state);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The state file {path} is not valid ({ex.Message}); fix it, or move it away to register the nodes anew.", ex);
        }
    }

    public NodeEntry? Find(string api, string name)
    {
        lock (_lock)
        {
            return _state.Find(api, name);
        }
    }

    public void Put(NodeEntry entry) => Change(state => state.With(entry));

    public void Remove(string api, string name) => Change(state => state.Without(api, name));

    private void Change(Func<AgentState, AgentState> change)
    {
        lock (_lock)
        {
            var changed = change(_state);
            Write(changed);
            _state = changed;
        }
    }

    private void Write(AgentState state)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, state, AgentJson.Indented);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, Path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
