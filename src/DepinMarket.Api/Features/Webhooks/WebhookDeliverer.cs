using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Webhooks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DepinMarket.Api.Features.Webhooks;

/// <summary>What one run of the worker did.</summary>
public sealed record WebhookRun(int Sent, int Succeeded, int Failed);

/// <summary>
/// The delivery worker's work (docs/decisions/0017): claim due deliveries (FOR UPDATE SKIP LOCKED, so several
/// instances share them), lease them by moving their due time past the send timeout, send them in parallel, and
/// record each attempt: succeeded on a 2xx, otherwise due again after the retry schedule's next wait, or failed for
/// good at its end. Delivery is at least once: a worker that dies after sending but before recording leaves the lease
/// to expire and the delivery is sent again, with the same webhook-id for the receiver to recognise.
/// </summary>
public sealed class WebhookDeliverer(NpgsqlDataSource dataSource, WebhookSender sender, IOptions<WebhookOptions> options, TimeProvider clock,
    ILogger<WebhookDeliverer> logger)
{
    private const string ClaimSql = """
        with c as (
            select d.id from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
            where d.status = 'pending' and d.next_attempt_at <= @now and e.enabled
            order by d.next_attempt_at, d.id
            limit @limit
            for update of d skip locked),
        u as (
            update webhook_deliveries d set next_attempt_at = @lease_end from c where d.id = c.id
            returning d.id, d.attempts, d.message_id, d.endpoint_id)
        select u.id, u.attempts, m.id, m.event_type, m.payload, e.url, e.secret
        from u join webhook_messages m on m.id = u.message_id join webhook_endpoints e on e.id = u.endpoint_id
        """;

    // Only if the delivery is still the one claimed (same attempt count): a worker whose lease ran out while it waited
    // on a slow receiver must not record over the attempt another worker made since.
    private const string RecordSql = """
        with u as (
            update webhook_deliveries set attempts = attempts + 1, status = @status, next_attempt_at = coalesce(@next, next_attempt_at),
                last_attempt_at = @at, last_status_code = @code, last_error = @error, delivered_at = @delivered
            where id = @id and status = 'pending' and attempts = @attempts
            returning id, attempts)
        insert into webhook_attempts (delivery_id, attempt, attempted_at, status_code, error, duration_ms)
        select id, attempts, @at, @code, @error, @duration from u
        """;

    /// <summary>Sends everything due now, batch after batch, until nothing is due.</summary>
    public async Task<WebhookRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var run = new WebhookRun(0, 0, 0);
        while (true)
        {
            var claimed = await ClaimAsync(o, cancellationToken);
            var outcomes = new AttemptOutcome[claimed.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, claimed.Count),
                new ParallelOptions { MaxDegreeOfParallelism = o.MaxParallel, CancellationToken = cancellationToken },
                async (i, ct) => outcomes[i] = await sender.SendAsync(claimed[i], ct));
            for (var i = 0; i < claimed.Count; i++)
            {
                var gaveUp = await RecordAsync(claimed[i], outcomes[i], o, cancellationToken);
                run = run with
                {
                    Sent = run.Sent + 1,
                    Succeeded = run.Succeeded + (outcomes[i].Succeeded ? 1 : 0),
                    Failed = run.Failed + (gaveUp ? 1 : 0),
                };
            }
            if (claimed.Count < o.BatchSize)
            {
                return run;
            }
        }
    }

    private async Task<List<ClaimedDelivery>> ClaimAsync(WebhookOptions o, CancellationToken cancellationToken)
    {
        var now = clock.Now();
        await using var command = dataSource.CreateCommand(ClaimSql);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", o.BatchSize);
        command.Parameters.AddWithValue("lease_end", now + o.Lease);
        var claimed = new List<ClaimedDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new ClaimedDelivery(reader.GetInt64(0), reader.GetInt32(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6)));
        }
        return claimed;
    }

    /// <returns>Whether this attempt used the retry schedule up (the delivery failed for good).</returns>
    private async Task<bool> RecordAsync(ClaimedDelivery delivery, AttemptOutcome outcome, WebhookOptions o, CancellationToken cancellationToken)
    {
        var at = clock.Now();
        var wait = outcome.Succeeded ? null : WebhookRetries.After(delivery.Attempts + 1, o.Retries);
        var status = outcome.Succeeded ? WebhookDeliveryConfiguration.Succeeded
            : wait is null ? WebhookDeliveryConfiguration.Failed
            : WebhookDeliveryConfiguration.Pending;
        await using var command = dataSource.CreateCommand(RecordSql);
        command.Parameters.AddWithValue("id", delivery.Id);
        command.Parameters.AddWithValue("attempts", delivery.Attempts);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.Add(new NpgsqlParameter("next", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = wait is { } w ? at + w : DBNull.Value });
        command.Parameters.AddWithValue("at", at);
        command.Parameters.Add(new NpgsqlParameter("code", NpgsqlTypes.NpgsqlDbType.Integer) { Value = outcome.StatusCode is { } c ? c : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("error", NpgsqlTypes.NpgsqlDbType.Text) { Value = outcome.Error is { } e ? e : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("delivered", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = outcome.Succeeded ? at : DBNull.Value });
        command.Parameters.AddWithValue("duration", outcome.DurationMs);
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (status == WebhookDeliveryConfiguration.Failed)
        {
            logger.LogWarning("Webhook delivery {Delivery} ({EventType}) failed for good after {Attempts} attempts: {Outcome}",
                delivery.Id, delivery.EventType, delivery.Attempts + 1, outcome.Error ?? $"HTTP {outcome.StatusCode}");
        }
        return status == WebhookDeliveryConfiguration.Failed;
    }
}

/// <summary>Runs <see cref="WebhookDeliverer"/> on the poll interval; every instance may run it (the claims share the work).</summary>
internal sealed class WebhookDeliveryService(WebhookDeliverer deliverer, IOptions<WebhookOptions> options, TimeProvider clock,
    ILogger<WebhookDeliveryService> logger) : PeriodicService(clock, logger)
{
    protected override string Name => "Webhook delivery";

    protected override TimeSpan? Interval => options.Value.DeliveryEnabled ? options.Value.PollInterval : null;

    protected override Task RunOnceAsync(CancellationToken stoppingToken) => deliverer.RunOnceAsync(stoppingToken);
}
