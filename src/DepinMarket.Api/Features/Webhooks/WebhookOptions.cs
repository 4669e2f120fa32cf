using DepinMarket.Domain.Webhooks;

namespace DepinMarket.Api.Features.Webhooks;

/// <summary>Configuration section "Webhooks".</summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// The wait after each failed attempt; past its end a delivery has failed for good. Unset, Svix's schedule
    /// (<see cref="WebhookRetries.DefaultSchedule"/>). No default in the property itself: the configuration binder
    /// would add the configured waits to it instead of replacing it.
    /// </summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    public IReadOnlyList<TimeSpan> Retries => RetrySchedule is { Length: > 0 } configured ? configured : WebhookRetries.DefaultSchedule;

    /// <summary>How often the delivery worker looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a receiver has to answer one delivery.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries one worker claims at a time; they are sent in parallel, up to <see cref="MaxParallel"/>.</summary>
    public int BatchSize { get; set; } = 50;

    public int MaxParallel { get; set; } = 8;

    /// <summary>Endpoints per account: each event is written once per endpoint that listens to it.</summary>
    public int MaxEndpointsPerAccount { get; set; } = 10;

    /// <summary>
    /// Lets deliveries reach loopback and private addresses (<see cref="PrivateAddresses"/>): on for a developer's
    /// machine and the tests (a listener on localhost), off in any shared deployment.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Off in tests that deliver by hand (<see cref="WebhookDeliverer.RunOnceAsync"/>).</summary>
    public bool DeliveryEnabled { get; set; } = true;

    /// <summary>How long a claimed delivery is left to its worker before another may try it (the worker died mid-send).</summary>
    public TimeSpan Lease => Timeout + TimeSpan.FromSeconds(30);
}
