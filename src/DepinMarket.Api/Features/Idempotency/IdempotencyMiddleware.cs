using System.Security.Cryptography;
using System.Text;
using DepinMarket.Api.Auth;
using DepinMarket.Api.Data;
using DepinMarket.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace DepinMarket.Api.Features.Idempotency;

/// <summary>
/// Stripe's Idempotency-Key for endpoints marked <see cref="IdempotencyKeyRequired"/>. The key row is inserted first,
/// in the transaction the endpoint then runs in (the request's DbContext), and the answer is written to it before
/// that transaction commits: the key exists exactly when the effect does. A concurrent duplicate's insert waits on
/// the first one's row (ON CONFLICT), then finds it committed and replays its answer; if the first rolled back, the
/// duplicate goes ahead. So however many copies race, one effect. Only 2xx answers are kept; anything else rolls
/// the key back with the effect, so the client can fix the cause and retry with the same key.
/// </summary>
internal sealed class IdempotencyMiddleware(RequestDelegate next, TimeProvider clock)
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotencyKeyRequired>() is null
            || context.User.FindFirst(MarketClaims.AccountId) is null)
        {
            await next(context);
            return;
        }
        var key = IdempotencyKeyHeader.Read(context.Request.Headers[IdempotencyKeyHeader.Name]);
        var accountId = context.User.AccountIdOf();
        var hash = await HashRequestAsync(context.Request, context.RequestAborted);

        var db = context.RequestServices.GetRequiredService<MarketDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(context.RequestAborted);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var store = new IdempotencyKeyStore(connection, (NpgsqlTransaction)transaction.GetDbTransaction());
        if (!await store.TryClaimAsync(accountId, key, hash, Hosting.Clock.Now(clock), context.RequestAborted))
        {
            var first = await store.ReadAsync(accountId, key, context.RequestAborted);
            await transaction.RollbackAsync(context.RequestAborted);
            await ReplayAsync(context, first, hash);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        // The effect is decided once the endpoint has answered: a client hanging up now must not cancel the commit
        // half way (an outcome nobody could know), so the key and its answer are written whatever the connection does.
        if (context.Response.StatusCode is >= 200 and < 300)
        {
            await store.SaveAnswerAsync(accountId, key, context.Response.StatusCode, context.Response.ContentType,
                context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null, buffer.ToArray(), CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
        else
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>SHA-256 of the method, the path with its query and the body: what "the same request" means.</summary>
    private static async Task<byte[]> HashRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            hash.AppendData(chunk, 0, read);
        }
        request.Body.Position = 0;
        return hash.GetHashAndReset();
    }

    private static async Task ReplayAsync(HttpContext context, StoredAnswer first, byte[] hash)
    {
        if (!first.RequestHash.AsSpan().SequenceEqual(hash))
        {
            throw new DomainException(DomainErrorKind.Unprocessable, "Idempotency-Key reused.",
                "This Idempotency-Key was used before with a different request (method, path or body). " +
                "Use a new key for a new request, or send exactly the first request again to get its answer.");
        }
        context.Response.StatusCode = first.StatusCode;
        context.Response.ContentType = first.ContentType;
        if (first.Location is not null)
        {
            context.Response.Headers.Location = first.Location;
        }
        context.Response.Headers[ReplayedHeader] = "true";
        await context.Response.Body.WriteAsync(first.Body, context.RequestAborted);
    }
}
