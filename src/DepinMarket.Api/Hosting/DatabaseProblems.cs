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
        // The server is shutting down, starting up or out of connections: an outage, not an answer about this request.
        PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections => UnreachableProblem(httpContext),
        _ => null,
    };

    /// <summary>Seconds a client should wait when the database could not be reached at all.</summary>
    public const int UnreachableRetryAfterSeconds = 5;

    /// <summary>
    /// The database could not be reached or did not answer (stopped, restarting, network gone): a 503 with
    /// Retry-After, not a 500. Found anywhere in the exception chain, because EF Core wraps Npgsql's connection
    /// failures in its own exceptions. A <see cref="PostgresException"/> is an answer, not an outage.
    /// </summary>
    public static ProblemDetails? Unreachable(HttpContext httpContext, Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException postgres)
            {
                return For(httpContext, postgres);
            }
            if (current is NpgsqlException)
            {
                return UnreachableProblem(httpContext);
            }
        }
        return null;
    }

    private static ProblemDetails UnreachableProblem(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = UnreachableRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails
        {
            Status = 503,
            Title = "The database is not reachable right now.",
            Detail = $"Nothing of this request was saved. Send it again in {UnreachableRetryAfterSeconds} s.",
        };
    }

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
