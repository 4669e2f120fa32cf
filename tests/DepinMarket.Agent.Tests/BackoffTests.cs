namespace DepinMarket.Agent.Tests;

public class BackoffTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 1.0)]
    public void The_first_wait_is_between_half_and_all_of_one_second(double jitter, double seconds)
    {
        var backoff = new Backoff(() => jitter);

        Assert.Equal(TimeSpan.FromSeconds(seconds), backoff.NextDelay());
    }

    [Fact]
    public void Each_failure_in_a_row_doubles_the_wait()
    {
        var backoff = new Backoff(() => 1.0);

        var waits = Enumerable.Range(0, 6).Select(_ => backoff.NextDelay().TotalSeconds);

        Assert.Equal([1, 2, 4, 8, 16, 32], waits);
    }

    [Fact]
    public void The_wait_stops_growing_at_five_minutes_however_many_failures()
    {
        var backoff = new Backoff(() => 1.0);

        var waits = Enumerable.Range(0, 100).Select(_ => backoff.NextDelay()).ToList();

        Assert.Equal(TimeSpan.FromMinutes(5), waits[^1]);
        Assert.Equal(TimeSpan.FromMinutes(5), waits.Max());
    }

    [Fact]
    public void After_a_reset_the_wait_starts_again_from_one_second()
    {
        var backoff = new Backoff(() => 1.0);
        backoff.NextDelay();
        backoff.NextDelay();

        backoff.Reset();

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.NextDelay());
    }

    [Fact]
    public void A_retry_after_longer_than_the_backoff_is_waited_out()
    {
        var backoff = new Backoff(() => 1.0);

        Assert.Equal(TimeSpan.FromSeconds(10), backoff.NextDelay(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_retry_after_shorter_than_the_backoff_does_not_shorten_it()
    {
        var backoff = new Backoff(() => 1.0);
        backoff.NextDelay();

        Assert.Equal(TimeSpan.FromSeconds(2), backoff.NextDelay(TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void A_retry_after_beyond_the_cap_is_cut_to_the_cap()
    {
        var backoff = new Backoff(() => 0.0);

        Assert.Equal(Backoff.DefaultCap, backoff.NextDelay(TimeSpan.FromHours(6)));
    }
}
