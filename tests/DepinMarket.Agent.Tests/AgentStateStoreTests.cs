using System.Runtime.Versioning;

namespace DepinMarket.Agent.Tests;

public sealed class AgentStateStoreTests : IDisposable
{
    private const string Api = "http://127.0.0.1:5080/";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agent-state-" + Guid.NewGuid().ToString("N"));

    private string StatePath => Path.Combine(_folder, "depinmarket-agent", "state.json");

    [Fact]
    public void An_entry_written_is_read_back_by_a_new_store()
    {
        var entry = new NodeEntry(Api, "rig-01", Guid.NewGuid(), "dmn_0123456789abcdef_secret", 1_764_000_000_000, Guid.NewGuid());
        AgentStateStore.Open(StatePath).Put(entry);

        var read = AgentStateStore.Open(StatePath).Find(Api, "rig-01");

        Assert.Equal(entry, read);
    }

    [Fact]
    public void A_missing_file_is_an_empty_state()
    {
        Assert.Null(AgentStateStore.Open(StatePath).Find(Api, "rig-01"));
    }

    [Fact]
    public void An_entry_for_another_api_address_is_not_found()
    {
        var store = AgentStateStore.Open(StatePath);
        store.Put(new NodeEntry("https://market.example/", "rig-01", Guid.NewGuid(), "dmn_x", 1));

        Assert.Null(store.Find(Api, "rig-01"));
    }

    [Fact]
    public void Putting_an_entry_replaces_the_one_for_the_same_api_and_name_and_keeps_the_others()
    {
        var store = AgentStateStore.Open(StatePath);
        var other = new NodeEntry(Api, "rig-02", Guid.NewGuid(), "dmn_b", 5);
        store.Put(new NodeEntry(Api, "rig-01", Guid.NewGuid(), "dmn_a", 1));
        store.Put(other);

        store.Put(store.Find(Api, "rig-01")! with { LastSequence = 2 });

        var reread = AgentStateStore.Open(StatePath);
        Assert.Equal(2, reread.Find(Api, "rig-01")!.LastSequence);
        Assert.Equal(other, reread.Find(Api, "rig-02"));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void The_file_is_readable_and_writable_by_its_owner_only()
    {
        AgentStateStore.Open(StatePath).Put(new NodeEntry(Api, "rig-01", Guid.NewGuid(), "dmn_a", 1));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StatePath));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void A_folder_the_store_creates_is_open_to_its_owner_only()
    {
        AgentStateStore.Open(StatePath).Put(new NodeEntry(Api, "rig-01", Guid.NewGuid(), "dmn_a", 1));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(StatePath)!));
    }

    [Fact]
    public void A_change_replaces_the_file_whole_so_a_reader_of_the_old_one_never_sees_it_half_written()
    {
        var store = AgentStateStore.Open(StatePath);
        store.Put(new NodeEntry(Api, "rig-01", Guid.NewGuid(), "dmn_a", 1));
        var before = File.ReadAllText(StatePath);
        using var oldFile = new FileStream(StatePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        store.Put(new NodeEntry(Api, "rig-02", Guid.NewGuid(), "dmn_b", 1));

        // A rename leaves the open file as it was; rewriting in place would have truncated it under the reader.
        using var reader = new StreamReader(oldFile);
        Assert.Equal(before, reader.ReadToEnd());
        Assert.NotEqual(before, File.ReadAllText(StatePath));
    }

    [Fact]
    public void No_temporary_file_is_left_beside_the_state()
    {
        var store = AgentStateStore.Open(StatePath);
        store.Put(new NodeEntry(Api, "rig-01", Guid.NewGuid(), "dmn_a", 1));
        store.Put(new NodeEntry(Api, "rig-01", Guid.NewGuid(), "dmn_a", 2));

        Assert.Equal([StatePath], Directory.GetFiles(Path.GetDirectoryName(StatePath)!));
    }

    [Fact]
    public void A_file_that_is_not_state_is_refused_rather_than_started_over()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
        File.WriteAllText(StatePath, "{ not json");

        var error = Assert.Throws<InvalidDataException>(() => AgentStateStore.Open(StatePath));

        Assert.Contains(StatePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Removing_an_entry_forgets_the_node()
    {
        var store = AgentStateStore.Open(StatePath);
        store.Put(new NodeEntry(Api, "rig-01", Guid.NewGuid(), "dmn_a", 1));

        store.Remove(Api, "rig-01");

        Assert.Null(AgentStateStore.Open(StatePath).Find(Api, "rig-01"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
