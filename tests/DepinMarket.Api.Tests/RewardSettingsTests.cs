using DepinMarket.Api.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Tests;

/// <summary>Reward settings that could not give a well-defined epoch or split stop the API at start-up, saying which.</summary>
public sealed class RewardSettingsTests
{
    [Theory]
    [InlineData("Rewards:DecayEvery", "01:30:00", "Rewards:DecayEvery a whole number of epochs")]
    [InlineData("Rewards:Genesis", "2027-01-01T00:00:00.5Z", "Rewards:Genesis and Rewards:EpochLength must be whole seconds")]
    [InlineData("Rewards:EpochLength", "00:00:00", "Rewards:Genesis and Rewards:EpochLength must be whole seconds")]
    [InlineData("Rewards:ProvidersBps", "10001", "Rewards:ProvidersBps must be 0 to 10000")]
    [InlineData("Rewards:CapTokens", "-1", "Rewards:InitialPerEpochTokens and Rewards:CapTokens must be token amounts")]
    public async Task A_setting_that_cannot_define_epochs_or_a_split_fails_start_up_with_the_reason(string key, string value, string reason)
    {
        var invalid = await StartFailure.OfAsync(() => new HostWith(new() { [key] = value }));
        Assert.Contains(reason, invalid.Message);
    }

    private sealed class HostWith(Dictionary<string, string> settings) : MarketApi
    {
        protected override IReadOnlyDictionary<string, string> Settings => settings;
    }
}
