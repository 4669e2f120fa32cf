namespace DepinMarket.Domain.Trust;

/// <summary>A provider's reputation as last computed, kept so search can filter and sort on it without recomputing.</summary>
public sealed class ProviderStanding
{
    public Guid ProviderId { get; private set; }
    public decimal Score { get; private set; }
    public int? Uptime30dBps { get; private set; }
    public string Components { get; private set; } = "";
    public DateTimeOffset ComputedAt { get; private set; }

    private ProviderStanding()
    {
    }
}
