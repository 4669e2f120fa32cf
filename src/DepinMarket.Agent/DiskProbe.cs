namespace DepinMarket.Agent;

/// <summary>
/// Free space, in GB of 10^9 bytes with one decimal, of the filesystem that holds the storage directory (or of the
/// root when there is none): the space this node could still rent out. Rounded down, never up, so the node never
/// claims space it lacks; the space an unprivileged user may use, not the blocks reserved for root.
/// </summary>
public sealed class DiskProbe(string? directory)
{
    /// <summary>The free space, or null when the filesystem cannot be asked (the heartbeat then says unknown).</summary>
    public double? FreeGb()
    {
        var path = directory is not null && Directory.Exists(directory)
            ? Path.GetFullPath(directory)
            : Path.GetPathRoot(Environment.CurrentDirectory) ?? "/";
        try
        {
            return ToGb(new DriveInfo(path).AvailableFreeSpace);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Bytes as GB (10^9) rounded down to one decimal.</summary>
    public static double ToGb(long bytes) => Math.Floor(bytes / 100_000_000d) / 10;
}
