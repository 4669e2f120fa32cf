using DepinMarket.Domain;

namespace DepinMarket.Api.Features.Nodes;

/// <summary>
/// What a heartbeat may say. The bounds are those of real machines (64 GPUs a node, temperatures nvidia-smi can
/// report), wide enough for any honest agent and narrow enough that a forged one cannot store nonsense.
/// </summary>
public static class HeartbeatRules
{
    /// <summary>2^53 − 1: the largest integer a JavaScript agent can count to exactly.</summary>
    public const long MaxSequence = 9_007_199_254_740_991;
    public const int MaxGpus = 64;
    public const int MaxAgentVersionLength = 40;
    public const int MaxGpuModelLength = 100;

    /// <exception cref="ValidationFailedException">Every field that is out of bounds, named as the agent sent it.</exception>
    public static void Check(HeartbeatRequest body)
    {
        var v = new Validation();
        v.InRange(body.Sequence, 1, MaxSequence, "sequence");
        v.NotBlank(body.AgentVersion, "agentVersion", MaxAgentVersionLength);
        var gpus = body.Gpus ?? [];
        v.Require(gpus.Count <= MaxGpus, "gpus", $"must list at most {MaxGpus} GPUs; got {gpus.Count}.");
        for (var i = 0; i < Math.Min(gpus.Count, MaxGpus); i++)
        {
            var gpu = gpus[i];
            var at = $"gpus[{i}]";
            if (gpu is null)
            {
                v.Add(at, "must be an object.");
                continue;
            }
            v.InRange(gpu.Index, 0, MaxGpus - 1, $"{at}.index");
            v.NotBlank(gpu.Model, $"{at}.model", MaxGpuModelLength);
            Optional(v, gpu.UtilizationPercent, 0, 100, $"{at}.utilizationPercent");
            Optional(v, gpu.MemoryTotalMib, 0, 10_000_000, $"{at}.memoryTotalMib");
            Optional(v, gpu.MemoryUsedMib, 0, gpu.MemoryTotalMib ?? 10_000_000, $"{at}.memoryUsedMib");
            Optional(v, gpu.TemperatureC, -50, 150, $"{at}.temperatureC");
        }
        v.Require(gpus.Where(g => g is not null).Select(g => g.Index).Distinct().Count() == gpus.Count(g => g is not null), "gpus", "must not list one GPU index twice.");
        Optional(v, body.DiskFreeGb, 0, 1e9, "diskFreeGb");
        Optional(v, body.BandwidthMbps, 0, 1e7, "bandwidthMbps");
        v.ThrowIfInvalid();
    }

    private static void Optional(Validation v, long? value, long min, long max, string field)
    {
        if (value is { } x)
        {
            v.InRange(x, min, max, field);
        }
    }

    private static void Optional(Validation v, double? value, double min, double max, string field)
    {
        if (value is { } x)
        {
            v.Require(double.IsFinite(x) && x >= min && x <= max, field, $"must be a number from {min:0.#} to {max:0.#}; got {x}.");
        }
    }
}
