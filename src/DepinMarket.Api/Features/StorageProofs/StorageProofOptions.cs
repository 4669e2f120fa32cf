namespace DepinMarket.Api.Features.StorageProofs;

/// <summary>Storage challenges (section "StorageProofs").</summary>
public sealed class StorageProofOptions
{
    /// <summary>The mean wait between two challenges of one rental; each wait is drawn from an exponential distribution.</summary>
    public TimeSpan MeanInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long a node has to answer (its agent answers on its next heartbeat).</summary>
    public TimeSpan AnswerWithin { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the challenger issues due challenges and marks late ones missed; zero: never (tests run it by hand).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
}
