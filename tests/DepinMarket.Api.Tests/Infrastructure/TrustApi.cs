using DepinMarket.Api.Features.Reputation;
using DepinMarket.Api.Features.Stakes;
using DepinMarket.Api.Features.StorageProofs;
using Microsoft.Extensions.DependencyInjection;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// <see cref="NodeApi"/> with stake minimums (200 per GPU, 50 per TB, 100 per model offer), a 7-day cooldown, 5 minutes
/// of grace and termination after 2 hours down; the release and downtime jobs run when a test says.
/// </summary>
public class TrustApi : NodeApi
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["Stakes:PerGpu"] = "200",
        ["Stakes:PerStorageTb"] = "50",
        ["Stakes:PerModelOffer"] = "100",
        ["Stakes:Cooldown"] = "7.00:00:00",
        ["Stakes:DowntimeGrace"] = "00:05:00",
        ["Stakes:TerminateAfter"] = "02:00:00",
        ["Stakes:ReleaseInterval"] = "00:00:00",
        ["Stakes:StorageProofSlash"] = "5",
        ["StorageProofs:Interval"] = "00:00:00",
        ["StorageProofs:MeanInterval"] = "01:00:00",
        ["StorageProofs:AnswerWithin"] = "00:10:00",
        ["Reputation:RefreshInterval"] = "00:00:00",
    };

    public Task<int> RefreshReputationAsync() => Services.GetRequiredService<ReputationRefresher>().RunOnceAsync(CancellationToken.None);

    public Task<ChallengerRun> ChallengeAsync() => Services.GetRequiredService<StorageChallenger>().RunOnceAsync(CancellationToken.None);

    public Task<int> ReleaseStakeAsync() => Services.GetRequiredService<StakeRelease>().RunOnceAsync(CancellationToken.None);

    public Task<DowntimeRun> DowntimeAsync() => Services.GetRequiredService<DowntimeCredits>().RunOnceAsync(CancellationToken.None);
}
