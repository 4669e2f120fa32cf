using DepinMarket.Api.Hosting;

namespace DepinMarket.Api.Features.Nodes;

/// <summary>
/// Nodes and heartbeats (docs/decisions/0020): a provider's machines with their own tokens, heartbeats accepted in one
/// statement, outages as the roll-up uptime is computed from, a monitor that marks silent nodes down, and the health view.
/// Offers name their node; search hides offers of nodes that are not up.
/// </summary>
public static class NodesFeature
{
    public static WebApplicationBuilder AddNodes(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NodeOptions>().Bind(builder.Configuration.GetSection("Nodes"))
            .Validate(o => o.MissedIntervals is >= 1 and <= 100, "Nodes:MissedIntervals must be 1 to 100.")
            .Validate(o => o.MonitorInterval is null || o.MonitorInterval >= TimeSpan.Zero, "Nodes:MonitorInterval must not be negative.")
            .Validate(o => o.HeartbeatRetentionDays is >= 1 and <= 3650, "Nodes:HeartbeatRetentionDays must be 1 to 3650.")
            .Validate(o => o.MaxNodesPerProvider is >= 1 and <= 1_000_000, "Nodes:MaxNodesPerProvider must be 1 to 1000000.")
            .ValidateOnStart();
        builder.AddOpenApiExamples(new Dictionary<Type, object>
        {
            [typeof(CreateNodeRequest)] = new CreateNodeRequest("rig-01", 30),
            [typeof(HeartbeatRequest)] = new HeartbeatRequest(1764700000000, "0.1.0",
                [new GpuReading(0, "NVIDIA H100 80GB HBM3", 37, 1024, 81559, 45)], 1200.5, 940.5),
        });
        builder.Services.AddSingleton<NodeCredentials>();
        builder.Services.AddSingleton<HeartbeatWriter>();
        builder.Services.AddSingleton<NodeMonitor>();
        builder.Services.AddHostedService<NodeMonitorService>();
        return builder;
    }

    public static WebApplication MapNodes(this WebApplication app)
    {
        app.MapNodeEndpoints();
        app.MapHeartbeatEndpoints();
        app.MapNodeHealthEndpoints();
        return app;
    }
}
