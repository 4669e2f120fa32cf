namespace DepinMarket.Agent;

/// <summary>
/// --offer-price: once the node is registered and its GPUs are known, declare one compute offer for them, tied to
/// the node by nodeId, and remember its id in the state so a restart does not declare it again. A refusal is
/// logged and not retried until the next start (the same body would be refused again); a transient failure is
/// retried after the next heartbeat.
/// </summary>
public sealed class OfferDeclaration(AgentServices services)
{
    public const int MinHours = 1;

    public const int MaxHours = 720;

    private bool _settled;

    public async Task DeclareOnceAsync(NodeEntry node, HeartbeatRequest heartbeat, CancellationToken cancellationToken)
    {
        var options = services.Options;
        if (_settled || options.OfferPrice is null || node.OfferId is not null)
        {
            return;
        }
        var request = RequestFor(node.NodeId, heartbeat, options, HostCpuCores(), HostRamGb());
        if (request is null || options.ApiKey is null)
        {
            _settled = true;
            services.Log.Info(node.Name, request is null
                ? "no GPUs found, so no compute offer declared"
                : "no compute offer declared: declaring one needs --api-key (or DEPINMARKET_API_KEY)");
            return;
        }
        var result = await services.Api.CreateComputeOfferAsync(options.ApiKey, request, cancellationToken);
        switch (result.Outcome)
        {
            case ApiOutcome.Ok:
                _settled = true;
                services.State.Put((services.State.Find(node.Api, node.Name) ?? node) with { OfferId = result.Value!.Id });
                services.Log.Info(node.Name, $"declared compute offer {result.Value.Id}: {request.GpuCount}× {request.GpuModel} at {request.PricePerGpuHour} per GPU-hour");
                break;
            case ApiOutcome.Transient:
                services.Log.Info(node.Name, $"compute offer not declared yet ({result.Failure}); trying again after the next heartbeat");
                break;
            default:
                _settled = true;
                services.Log.Info(node.Name, $"compute offer refused: {result.Problem}; not trying again until restart");
                break;
        }
    }

    /// <summary>
    /// The offer for the GPUs of <paramref name="heartbeat"/>, or null when there are none. A machine with mixed
    /// models offers its most common one (an offer has one model); disk is the free space, whole GB.
    /// </summary>
    public static ComputeOfferRequest? RequestFor(Guid nodeId, HeartbeatRequest heartbeat, AgentOptions options, int cpuCores, int ramGb)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentNullException.ThrowIfNull(options);
        var model = heartbeat.Gpus.GroupBy(g => g.Model).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).FirstOrDefault();
        if (model is null || options.OfferPrice is null || options.Region is null)
        {
            return null;
        }
        return new ComputeOfferRequest(
            model.Key, model.Count(), VramGbPerGpu: null, cpuCores, ramGb, (int)Math.Floor(heartbeat.DiskFreeGb ?? 0),
            options.Region, options.City, options.OfferPrice, MinHours, MaxHours, Publish: true, nodeId);
    }

    private static int HostCpuCores() => Environment.ProcessorCount;

    private static int HostRamGb() => (int)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1_000_000_000);
}
