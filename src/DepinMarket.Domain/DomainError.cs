namespace DepinMarket.Domain;

/// <summary>
/// A rule of the marketplace was broken by a request. The API maps each kind to one HTTP status
/// (see ProblemMapping in the API), so domain code never thinks about HTTP.
/// </summary>
public class DomainException(DomainErrorKind kind, string title, string detail) : Exception(detail)
{
    public DomainErrorKind Kind { get; } = kind;
    public string Title { get; } = title;

    /// <summary>Members the problem body carries beside the detail, for a client to act on ("lastSequence": 41).</summary>
    public virtual IReadOnlyDictionary<string, object> Facts { get; } = new Dictionary<string, object>();
}

public enum DomainErrorKind
{
    /// <summary>The request itself is invalid (400).</summary>
    Invalid,
    /// <summary>The object does not exist, or exists but belongs to someone else (404).</summary>
    NotFound,
    /// <summary>The caller is known but may not do this (403).</summary>
    Forbidden,
    /// <summary>The object's current state does not allow this (409).</summary>
    Conflict,
    /// <summary>The caller's copy is stale (412).</summary>
    PreconditionFailed,
    /// <summary>The caller must wait before doing this again (429, with Retry-After).</summary>
    TooSoon,
    /// <summary>A part the request needs is not configured or not reachable (503).</summary>
    Unavailable,
    /// <summary>A balance is too small for the request (402); the detail says how much is missing.</summary>
    PaymentRequired,
    /// <summary>The request is well formed but contradicts an earlier one, e.g. a reused Idempotency-Key (422).</summary>
    Unprocessable,
    /// <summary>The request carries no valid credential of the kind the endpoint takes (401).</summary>
    Unauthorized,
}

/// <summary>A per-account cooldown (e.g. the faucet) has not passed yet.</summary>
public sealed class TooSoonException(string detail, TimeSpan retryAfter)
    : DomainException(DomainErrorKind.TooSoon, "Too soon.", detail)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>Field-level validation failures, reported together as one 400.</summary>
public sealed class ValidationFailedException(IReadOnlyDictionary<string, string[]> errors)
    : DomainException(DomainErrorKind.Invalid, "One or more fields are invalid.", Describe(errors))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static ValidationFailedException For(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });

    private static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}
