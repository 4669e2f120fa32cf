using DepinMarket.Domain;
using Microsoft.Extensions.Primitives;

namespace DepinMarket.Api.Features.Idempotency;

/// <summary>Endpoint metadata: this money-moving operation requires an Idempotency-Key header.</summary>
public sealed class IdempotencyKeyRequired
{
    public static readonly IdempotencyKeyRequired Instance = new();

    private IdempotencyKeyRequired()
    {
    }
}

/// <summary>The Idempotency-Key header (Stripe's): 1 to 255 printable ASCII characters chosen by the client, e.g. a UUID.</summary>
public static class IdempotencyKeyHeader
{
    public const string Name = "Idempotency-Key";
    public const int MaxLength = 255;

    public const string Description =
        "Required on every request that moves money: a key you choose (1 to 255 printable ASCII characters, e.g. a UUID), " +
        "kept for at least 24 hours per account. Sending the same key with the same body again returns the first answer " +
        "(with Idempotent-Replayed: true) and moves nothing; the same key with a different body is a 422. " +
        "Only successful answers are kept: a refused request (400, 402, 409...) can be retried with the same key.";

    /// <exception cref="ValidationFailedException">The header is missing, sent twice, empty, too long or not printable ASCII.</exception>
    public static string Read(StringValues values)
    {
        if (values.Count == 0)
        {
            throw ValidationFailedException.For(Name, "is required on this request: send a key of your choice (e.g. a UUID) so that a retry cannot move money twice.");
        }
        if (values.Count > 1)
        {
            throw ValidationFailedException.For(Name, "was sent more than once; send one key.");
        }
        var key = values[0] ?? "";
        if (key.Length is 0 or > MaxLength || key.Any(c => c is < '!' or > '~'))
        {
            throw ValidationFailedException.For(Name, $"must be 1 to {MaxLength} printable ASCII characters without spaces; got {key.Length} characters{(key.Length is > 0 and <= MaxLength ? " with one outside that range" : "")}.");
        }
        return key;
    }
}
