namespace DepinMarket.Agent;

/// <summary>
/// Eight made-up H100s for --simulate, so a marketplace can be filled with busy-looking nodes without hardware.
/// Each GPU's utilisation wanders from reading to reading; memory and temperature follow it. The same seed gives
/// the same sequence of readings.
/// </summary>
public sealed class SimulatedGpus(int seed, int count = 8) : IGpuProbe
{
    public const string Model = "NVIDIA H100 80GB HBM3";

    public const int MemoryTotalMib = 81559;

    private readonly Random _random = new(seed);

    private readonly Lock _lock = new();

    private int[]? _utilization;

    public Task<IReadOnlyList<GpuReading>> ReadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _utilization ??= [.. Enumerable.Range(0, count).Select(_ => _random.Next(0, 101))];
            var readings = new GpuReading[count];
            for (var i = 0; i < count; i++)
            {
                var utilization = _utilization[i] = Math.Clamp(_utilization[i] + _random.Next(-15, 16), 0, 100);
                var memoryUsed = 512 + (int)(MemoryTotalMib * 0.9 * utilization / 100);
                var temperature = 30 + (utilization / 2) + _random.Next(0, 4);
                readings[i] = new GpuReading(i, Model, utilization, memoryUsed, MemoryTotalMib, temperature);
            }
            return Task.FromResult<IReadOnlyList<GpuReading>>(readings);
        }
    }
}
