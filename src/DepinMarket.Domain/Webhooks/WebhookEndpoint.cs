namespace DepinMarket.Domain.Webhooks;

/// <summary>
/// Where an account wants its events POSTed: a URL, the event types it listens to, and the secret its deliveries are
/// signed with (shown to the account once, when the endpoint is created or its secret rotated).
/// </summary>
public sealed class WebhookEndpoint
{
    public const int MaxDescriptionLength = 200;

    public Guid Id { get; private set; }

    public Guid AccountId { get; private set; }

    public string Url { get; private set; } = "";

    public string[] EventTypes { get; private set; } = [];

    public string? Description { get; private set; }

    public string Secret { get; private set; } = "";

    /// <summary>A disabled endpoint gets nothing new; what is pending for it waits until it is enabled again.</summary>
    public bool Enabled { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    private WebhookEndpoint()
    {
    }

    /// <exception cref="ValidationFailedException">The URL, the event types or the description is not acceptable (all named).</exception>
    public static WebhookEndpoint Create(Guid accountId, string? url, IReadOnlyList<string>? eventTypes, string? description, DateTimeOffset now)
    {
        var validation = new Validation();
        WebhookUrl.Check(url, validation);
        var types = CheckEventTypes(eventTypes, validation);
        CheckDescription(description, validation);
        validation.ThrowIfInvalid();
        return new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(now),
            AccountId = accountId,
            Url = url!,
            EventTypes = types,
            Description = description,
            Secret = WebhookSecret.Generate(),
            Enabled = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Changes what is given (a null leaves that part as it is).</summary>
    public void Change(string? url, IReadOnlyList<string>? eventTypes, string? description, bool? enabled, DateTimeOffset now)
    {
        var validation = new Validation();
        if (url is not null)
        {
            WebhookUrl.Check(url, validation);
        }
        var types = eventTypes is null ? EventTypes : CheckEventTypes(eventTypes, validation);
        CheckDescription(description, validation);
        validation.ThrowIfInvalid();
        Url = url ?? Url;
        EventTypes = types;
        Description = description ?? Description;
        Enabled = enabled ?? Enabled;
        UpdatedAt = now;
    }

    /// <returns>The new secret; the old one signs nothing from now on.</returns>
    public string RotateSecret(DateTimeOffset now)
    {
        Secret = WebhookSecret.Generate();
        UpdatedAt = now;
        return Secret;
    }

    private static string[] CheckEventTypes(IReadOnlyList<string>? eventTypes, Validation validation)
    {
        if (eventTypes is null || eventTypes.Count == 0)
        {
            validation.Add("eventTypes", $"must list at least one of: {string.Join(", ", WebhookEventTypes.Subscribable)}.");
            return [];
        }
        var unknown = eventTypes.Where(t => !WebhookEventTypes.IsSubscribable(t)).ToArray();
        if (unknown.Length > 0)
        {
            validation.Add("eventTypes", $"{string.Join(", ", unknown.Take(5).Select(t => $"\"{Shorten(t)}\""))} " +
                $"{(unknown.Length == 1 ? "is not an event type" : "are not event types")}; the types are: {string.Join(", ", WebhookEventTypes.Subscribable)}.");
        }
        // Listed once each, in the catalogue's order, however the request spelt the list.
        return WebhookEventTypes.Subscribable.Where(t => eventTypes.Contains(t, StringComparer.Ordinal)).ToArray();
    }

    private static void CheckDescription(string? description, Validation validation)
    {
        if (description is { Length: > MaxDescriptionLength })
        {
            validation.Add("description", $"must be at most {MaxDescriptionLength} characters; got {description.Length}.");
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
