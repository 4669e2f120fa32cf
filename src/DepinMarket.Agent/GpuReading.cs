namespace DepinMarket.Agent;

/// <summary>
/// One GPU as a heartbeat reports it (the contract's "gpus" items). Numbers are null where nvidia-smi says
/// [N/A] or [Not Supported]: an honest "unknown" rather than a zero that would read as an idle, cold GPU.
/// </summary>
public sealed record GpuReading(
    int Index,
    string Model,
    int? UtilizationPercent,
    int? MemoryUsedMib,
    int? MemoryTotalMib,
    int? TemperatureC);

/// <summary>Where a node's GPU readings come from: nvidia-smi on a real machine, or made up for --simulate.</summary>
public interface IGpuProbe
{
    Task<IReadOnlyList<GpuReading>> ReadAsync(CancellationToken cancellationToken);
}
