namespace DepinMarket.Agent.Tests;

public class HeartbeatSequenceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_node_without_a_stored_sequence_starts_at_the_unix_milliseconds()
    {
        Assert.Equal(Now.ToUnixTimeMilliseconds(), HeartbeatSequence.Next(0, Now));
    }

    [Fact]
    public void The_next_sequence_is_one_more_than_the_last_when_the_clock_has_not_passed_it()
    {
        var last = Now.ToUnixTimeMilliseconds() + 10;

        Assert.Equal(last + 1, HeartbeatSequence.Next(last, Now));
    }

    [Fact]
    public void A_lost_state_file_still_gives_a_sequence_above_every_one_sent_before()
    {
        var sent = new List<long>();
        var last = 0L;
        for (var minute = 0; minute < 60; minute++)
        {
            last = HeartbeatSequence.Next(last, Now.AddMinutes(minute));
            sent.Add(last);
        }

        var afterRestartWithoutState = HeartbeatSequence.Next(0, Now.AddMinutes(61));

        Assert.True(afterRestartWithoutState > sent.Max());
    }

    [Fact]
    public void A_stored_sequence_ahead_of_a_clock_set_back_is_continued_not_repeated()
    {
        var stored = Now.ToUnixTimeMilliseconds() + 3_600_000;

        var next = HeartbeatSequence.Next(stored, Now);

        Assert.Equal(stored + 1, next);
    }

    [Fact]
    public void A_sequence_past_two_to_the_53_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => HeartbeatSequence.Next(HeartbeatSequence.Max, Now));
    }
}
