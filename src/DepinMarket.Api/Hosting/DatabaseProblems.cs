using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// PostgreSQL errors a request can cause, as problem details. A constraint the database enforced is the
/// client's conflict (409) or a missing value (400); a transaction PostgreSQL aborted to break a deadlock or a
/// serialization conflict is nobody's fault and succeeds when retried, so it is a 503 with Retry-After.
/// The bodies name the constraint (its name says which rule) but never the SQL, the table's insides or the
/// row's values; any other database error is left to the 500 path.
/// </summary>
internal static class DatabaseProblems
{
    /// <summary>Seconds a client should wait before retrying an aborted transaction.</summary>
    public const int RetryAfterSeconds = 1;

    public static ProblemDetails? For(HttpContext httpContext, PostgresException error) => error.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation => Conflict(error, "An object with the same unique value already exists"),
        PostgresErrorCodes.CheckViolation => Conflict(error, "The change breaks a rule the database enforces"),
        PostgresErrorCodes.ForeignKeyViolation => Conflict(error, "The change refers to an object that does not exist, or removes one that others still refer to"),
        PostgresErrorCodes.NotNullViolation => new ProblemDetails
        {
            Status = 400,
            Title = "A required value is missing.",
            Detail = error.ColumnName is { } column ? $"A value for \"{column}\" is required." : "A required value is missing.",
        },
        PostgresErrorCodes.SerializationFailure => Retry(httpContext, "The request collided with another one changing the same data at the same time"),
        PostgresErrorCodes.DeadlockDetected => Retry(httpContext, "The request and another one waited for each other's data (a deadlock)"),
        _ => null,
    };

    private static ProblemDetails Conflict(PostgresException error, string what) => new()
    {
        Status = 409,
        Title = "Conflict.",
        Detail = error.ConstraintName is { } constraint ? $"{what} ({constraint})." : $"{what}.",
    };

    private static ProblemDetails Retry(HttpContext httpContext, string what)
    {
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails
        {
            Status = 503,
            Title = "Try again.",
            Detail = $"{what}; the database undid it, so nothing of it was saved. Send it again in {RetryAfterSeconds} s.",
        };
    }
}
