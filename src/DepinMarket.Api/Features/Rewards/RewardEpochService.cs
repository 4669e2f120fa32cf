using DepinMarket.Api.Hosting;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Rewards;

/// <summary>Runs <see cref="RewardEpochCloser"/> on the configured interval on every instance (the lock lets one close at a time).</summary>
internal sealed class RewardEpochService(RewardEpochCloser closer, IOptions<RewardOptions> options, TimeProvider clock, ILogger<RewardEpochService> logger)
    : PeriodicService(clock, logger)
{
    protected override string Name => "Rewards";

    protected override TimeSpan? Interval => options.Value.Enabled && options.Value.Genesis is not null ? options.Value.CloseInterval : null;

    protected override Task RunOnceAsync(CancellationToken stoppingToken) => closer.RunOnceAsync(stoppingToken);
}
