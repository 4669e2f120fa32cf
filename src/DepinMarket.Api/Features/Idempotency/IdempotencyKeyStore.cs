using Npgsql;

namespace DepinMarket.Api.Features.Idempotency;

/// <summary>The first request's fingerprint and answer, as stored.</summary>
internal sealed record StoredAnswer(byte[] RequestHash, int StatusCode, string? ContentType, string? Location, byte[] Body);

/// <summary>The SQL of the idempotency_keys table, in the transaction of the request's effect.</summary>
internal sealed class IdempotencyKeyStore(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    /// <summary>
    /// Inserts the key; false when it exists. While another transaction holds an uncommitted row for the same key,
    /// this waits for it to end (that is what makes concurrent duplicates queue instead of both acting).
    /// </summary>
    public async Task<bool> TryClaimAsync(Guid accountId, string key, byte[] hash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            "insert into idempotency_keys (account_id, key, request_hash, created_at) values (@account, @key, @hash, @now) on conflict do nothing",
            connection, transaction);
        insert.Parameters.AddWithValue("account", accountId);
        insert.Parameters.AddWithValue("key", key);
        insert.Parameters.AddWithValue("hash", hash);
        insert.Parameters.AddWithValue("now", now);
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<StoredAnswer> ReadAsync(Guid accountId, string key, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(
            "select request_hash, status_code, content_type, location, response_body from idempotency_keys where account_id = @account and key = @key",
            connection, transaction);
        select.Parameters.AddWithValue("account", accountId);
        select.Parameters.AddWithValue("key", key);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(1))
        {
            // Deleted by the cleanup between the two statements, or (never committed so) unanswered: the caller may retry.
            throw new Domain.DomainException(Domain.DomainErrorKind.Conflict, "Idempotency-Key in flux.",
                "This Idempotency-Key changed while the request was read (it just expired). Send the request again.");
        }
        return new StoredAnswer(reader.GetFieldValue<byte[]>(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<byte[]>(4));
    }

    public async Task SaveAnswerAsync(Guid accountId, string key, int statusCode, string? contentType, string? location, byte[] body, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand(
            "update idempotency_keys set status_code = @status, content_type = @type, location = @location, response_body = @body where account_id = @account and key = @key",
            connection, transaction);
        update.Parameters.AddWithValue("account", accountId);
        update.Parameters.AddWithValue("key", key);
        update.Parameters.AddWithValue("status", statusCode);
        update.Parameters.AddWithValue("type", (object?)contentType ?? DBNull.Value);
        update.Parameters.AddWithValue("location", (object?)location ?? DBNull.Value);
        update.Parameters.AddWithValue("body", body);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }
}
