using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using static DepinMarket.Domain.Tests.Rentals.TestRentals;

namespace DepinMarket.Domain.Tests.Rentals;

public sealed class FeeScheduleTests
{
    [Theory]
    [InlineData(0, 0, 0, 0)]
    [InlineData(25, 25, 1000, 2000)]
    [InlineData(10_000, 0, 0, 0)]
    [InlineData(0, 9999, 0, 0)]
    [InlineData(0, 0, 9999, 0)]
    [InlineData(0, 4999, 5000, 0)]
    [InlineData(0, 5000, 4999, 0)]
    [InlineData(0, 0, 0, 10_000)]
    [InlineData(10_000, 1, 9998, 10_000)]
    public void A_schedule_is_valid_while_each_rate_is_within_100_percent_and_the_provider_keeps_something(
        int client, int provider, int platform, int burn) =>
        Assert.True(new FeeSchedule(client, provider, platform, burn).IsValid);

    [Theory]
    [InlineData(-1, 0, 0, 0)]
    [InlineData(10_001, 0, 0, 0)]
    [InlineData(0, -1, 0, 0)]
    [InlineData(0, 0, -1, 0)]
    [InlineData(0, -1, 10_000, 0)]
    [InlineData(0, 10_000, 0, 0)]
    [InlineData(0, 0, 10_000, 0)]
    [InlineData(0, 5000, 5000, 0)]
    [InlineData(0, 4999, 5001, 0)]
    [InlineData(0, 0, 0, -1)]
    [InlineData(0, 0, 0, 10_001)]
    [InlineData(int.MinValue, 0, 0, 0)]
    [InlineData(int.MaxValue, 0, 0, 0)]
    [InlineData(0, 0, 0, int.MaxValue)]
    // Sums that wrap around an int must not pass as small.
    [InlineData(0, int.MaxValue, 1, 0)]
    [InlineData(0, 1, int.MaxValue, 0)]
    [InlineData(0, int.MaxValue, int.MaxValue, 0)]
    public void A_schedule_is_invalid_when_any_rate_is_out_of_range_or_the_provider_fees_take_everything(
        int client, int provider, int platform, int burn) =>
        Assert.False(new FeeSchedule(client, provider, platform, burn).IsValid);

    [Fact]
    public void A_rental_is_not_opened_on_an_invalid_schedule()
    {
        var fees = new FeeSchedule(0, 5000, 5000, 0);
        Assert.Throws<ArgumentException>(() => Compute(fees: fees));
        Assert.Throws<ArgumentException>(() => Storage(fees: fees));
        Assert.Throws<ArgumentException>(() => Model(fees: fees));
    }

    [Fact]
    public void The_client_fee_is_its_basis_points_of_the_usage_rounded_down()
    {
        var fees = new FeeSchedule(25, 0, 0, 0);
        Assert.Equal(TokenAmount.Zero, fees.ClientFeeOn(new TokenAmount(399)));
        Assert.Equal(new TokenAmount(1), fees.ClientFeeOn(new TokenAmount(400)));
        Assert.Equal(TokenAmount.Parse("0.05"), fees.ClientFeeOn(TokenAmount.Parse("20")));
        Assert.Equal(TokenAmount.MaxValue, new FeeSchedule(10_000, 0, 0, 0).ClientFeeOn(TokenAmount.MaxValue));
    }

    [Fact]
    public void A_rental_keeps_the_schedule_it_was_opened_with() =>
        Assert.Equal(new FeeSchedule(10_000, 1, 9998, 10_000), Compute(fees: new FeeSchedule(10_000, 1, 9998, 10_000)).Fees);
}
