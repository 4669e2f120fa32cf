using DepinMarket.Api.Hosting;
using Microsoft.OpenApi;
using Npgsql;

namespace DepinMarket.Api.Features.Idempotency;

/// <summary>Configuration section "Idempotency".</summary>
public sealed class IdempotencyOptions
{
    /// <summary>How long a key is kept (and replayed); at least 24 hours, Stripe's promise.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired keys are deleted.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Idempotency-Key for money-moving POSTs: <c>.RequireIdempotencyKey()</c> on an endpoint, the middleware after
/// authorization (<see cref="UseIdempotencyKeys"/>), the header in the API document, and a cleanup timer.
/// </summary>
public static class IdempotencyFeature
{
    public static WebApplicationBuilder AddIdempotencyKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdempotencyOptions>().Bind(builder.Configuration.GetSection("Idempotency"))
            .Validate(o => o.Retention >= TimeSpan.FromHours(24), "Idempotency:Retention must be at least 24 hours.")
            .Validate(o => o.CleanupInterval > TimeSpan.Zero, "Idempotency:CleanupInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddHostedService<IdempotencyKeyCleanup>();
        builder.ConfigureOpenApi(options => options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotencyKeyRequired>().Any())
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = IdempotencyKeyHeader.Name,
                    In = ParameterLocation.Header,
                    Required = true,
                    Description = IdempotencyKeyHeader.Description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKeyHeader.MaxLength },
                });
            }
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>After UseAuthorization: the key is scoped to the caller's account.</summary>
    public static WebApplication UseIdempotencyKeys(this WebApplication app)
    {
        app.UseMiddleware<IdempotencyMiddleware>();
        return app;
    }

    public static RouteHandlerBuilder RequireIdempotencyKey(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(IdempotencyKeyRequired.Instance).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}

/// <summary>Deletes keys older than the retention period, on a timer (every instance may run it: a delete is idempotent).</summary>
internal sealed class IdempotencyKeyCleanup(NpgsqlDataSource dataSource, Microsoft.Extensions.Options.IOptions<IdempotencyOptions> options,
    TimeProvider clock, ILogger<IdempotencyKeyCleanup> logger) : PeriodicService(clock, logger)
{
    protected override string Name => "Idempotency key cleanup";

    protected override TimeSpan? Interval => options.Value.CleanupInterval;

    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("delete from idempotency_keys where created_at < @cutoff");
        command.Parameters.AddWithValue("cutoff", Clock.GetUtcNow() - options.Value.Retention);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        var deleted = await DeleteExpiredAsync(stoppingToken);
        logger.LogInformation("Deleted {Count} expired idempotency keys", deleted);
    }
}
