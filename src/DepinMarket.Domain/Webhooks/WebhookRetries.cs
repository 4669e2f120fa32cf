namespace DepinMarket.Domain.Webhooks;

/// <summary>
/// When a failed delivery is tried again: after the n-th failed attempt, the n-th delay of the schedule; past the
/// schedule's end the delivery has failed for good. The default schedule is Svix's (5 s, 5 min, 30 min, 2 h, 5 h,
/// 10 h, 10 h: eight attempts over about 27 hours), long enough for a receiver's outage over a night.
/// </summary>
public static class WebhookRetries
{
    public static IReadOnlyList<TimeSpan> DefaultSchedule { get; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <returns>The wait before the next attempt, or null when <paramref name="failedAttempts"/> used the schedule up.</returns>
    public static TimeSpan? After(int failedAttempts, IReadOnlyList<TimeSpan> schedule) =>
        failedAttempts >= 1 && failedAttempts <= schedule.Count ? schedule[failedAttempts - 1] : null;
}
