using System.Text.Json;
using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace DepinMarket.Api.Features.Webhooks;

/// <summary>An event for one account, before it is written: its type ("rental.accepted") and its data (any JSON-able value).</summary>
public sealed record WebhookEvent(Guid AccountId, string Type, object Data);

/// <summary>
/// The transactional outbox: events are written in the transaction of the change they report, so a change is never
/// reported that did not commit and none that committed goes unreported; the delivery worker sends them afterwards.
/// One statement per transaction writes a message for each event some endpoint of its account listens to, and a
/// delivery per such endpoint; an event nobody listens to writes nothing (the metering worker's batches stay cheap).
/// </summary>
public static class WebhookOutbox
{
    /// <summary>The payload's JSON dialect: the API's own (camelCase, snake_case enums, amounts as decimal strings).</summary>
    private static readonly JsonSerializerOptions Json = CreateJson();

    private const string EnqueueSql = """
        with e as (
            select * from unnest(@accounts, @types, @payloads) as e(account_id, event_type, payload)),
        m as (
            insert into webhook_messages (account_id, event_type, payload, created_at)
            select e.account_id, e.event_type, e.payload, @now from e
            where exists (select 1 from webhook_endpoints w where w.account_id = e.account_id and w.enabled and e.event_type = any(w.event_types))
            returning id, account_id, event_type)
        insert into webhook_deliveries (message_id, endpoint_id, next_attempt_at, created_at)
        select m.id, w.id, @now, @now from m
        join webhook_endpoints w on w.account_id = m.account_id and w.enabled and m.event_type = any(w.event_types)
        """;

    private const string EnqueueTestSql = """
        with m as (
            insert into webhook_messages (account_id, event_type, payload, created_at) values (@account, @type, @payload, @now)
            returning id)
        insert into webhook_deliveries (message_id, endpoint_id, next_attempt_at, created_at)
        select m.id, @endpoint, @now, @now from m
        returning message_id, id
        """;

    public static async Task EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<WebhookEvent> events,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand(EnqueueSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("accounts", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => e.AccountId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Type).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => Payload(e, now)).ToArray() });
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A "webhook.test" message to one endpoint, whatever it listens to.</summary>
    /// <returns>The message's id (the webhook-id sent) and the delivery's (in the endpoint's delivery log).</returns>
    public static async Task<(Guid MessageId, long DeliveryId)> EnqueueTestAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        WebhookEndpoint endpoint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var test = new WebhookEvent(endpoint.AccountId, WebhookEventTypes.Test,
            new { EndpointId = endpoint.Id, Message = "A test event, sent because this account asked for one." });
        await using var command = new NpgsqlCommand(EnqueueTestSql, connection, transaction);
        command.Parameters.AddWithValue("account", endpoint.AccountId);
        command.Parameters.AddWithValue("type", test.Type);
        command.Parameters.AddWithValue("payload", Payload(test, now));
        command.Parameters.AddWithValue("endpoint", endpoint.Id);
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetGuid(0), reader.GetInt64(1));
    }

    /// <summary>The Standard Webhooks envelope: {"type", "timestamp", "data"}.</summary>
    internal static string Payload(WebhookEvent e, DateTimeOffset now) =>
        JsonSerializer.Serialize(new { e.Type, Timestamp = now.ToUniversalTime(), e.Data }, Json);

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions();
        JsonSetup.Configure(options);
        return options;
    }
}
