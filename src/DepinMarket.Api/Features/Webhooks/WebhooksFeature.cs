using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Webhooks;

namespace DepinMarket.Api.Features.Webhooks;

/// <summary>
/// Signed webhooks (docs/decisions/0017): an account's endpoints, the outbox other features write their events to in
/// their own transactions (<see cref="WebhookOutbox"/>), the delivery worker, and the delivery log.
/// </summary>
public static class WebhooksFeature
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().Bind(builder.Configuration.GetSection("Webhooks"))
            .Validate(o => o.Retries.All(w => w > TimeSpan.Zero) && o.Retries.Count <= 20, "Webhooks:RetrySchedule: up to 20 positive waits.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Webhooks:PollInterval must be positive.")
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= TimeSpan.FromMinutes(2), "Webhooks:Timeout must be positive and at most 2 minutes.")
            .Validate(o => o.BatchSize is > 0 and <= 1000, "Webhooks:BatchSize must be 1 to 1000.")
            .Validate(o => o.MaxParallel is > 0 and <= 256, "Webhooks:MaxParallel must be 1 to 256.")
            .Validate(o => o.MaxEndpointsPerAccount is > 0 and <= 100, "Webhooks:MaxEndpointsPerAccount must be 1 to 100.")
            .ValidateOnStart();
        builder.Services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(services =>
                WebhookSender.CreateHandler(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value))
            // The sender bounds each attempt itself (Webhooks:Timeout) and says so in the delivery log.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddOpenApiExamples(new Dictionary<Type, object>
        {
            [typeof(CreateWebhookRequest)] = new CreateWebhookRequest("https://hooks.example.com/depin",
                [WebhookEventTypes.ForRental(Domain.Rentals.RentalEventType.Accepted), WebhookEventTypes.ForRental(Domain.Rentals.RentalEventType.ChargeWarning), WebhookEventTypes.DepositCredited],
                "billing service"),
            [typeof(UpdateWebhookRequest)] = new UpdateWebhookRequest(Enabled: false),
        });
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<WebhookDeliverer>();
        builder.Services.AddHostedService<WebhookDeliveryService>();
        return builder;
    }

    public static WebApplication MapWebhooks(this WebApplication app)
    {
        app.MapWebhookEndpoints();
        app.MapWebhookDeliveryLog();
        return app;
    }
}
