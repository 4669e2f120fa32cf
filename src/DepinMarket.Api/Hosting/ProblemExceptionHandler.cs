using System.Text.Json;
using System.Text.RegularExpressions;
using DepinMarket.Chain.Rpc;
using DepinMarket.Domain;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// The one place where exceptions become HTTP answers. Domain rules map to 400/403/404/409/412; a body
/// the framework could not read maps to the status it chose (400, 413, 415) with the field and the reason;
/// a rule the database enforced maps to 409 (or 400), a transaction PostgreSQL aborted to resolve a
/// conflict to 503 with Retry-After (see <see cref="DatabaseProblems"/>); anything else is a 500 whose
/// body says nothing about the server's insides.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    private static readonly string[] IsRequired = ["is required."];

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ValidationFailedException v => Validation(v.Errors),
            TooSoonException tooSoon => TooSoon(httpContext, tooSoon),
            InsufficientBalanceException refused => Insufficient(refused),
            DomainException d => FromDomain(httpContext, d),
            BadHttpRequestException { InnerException: JsonException json } =>
                FromJson(json, httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType,
                    httpContext.RequestServices),
            BadHttpRequestException bad => FromBadRequest(bad),
            DbUpdateConcurrencyException => Concurrency(httpContext),
            DbUpdateException { InnerException: PostgresException postgres } => DatabaseProblems.For(httpContext, postgres),
            PostgresException postgres => DatabaseProblems.For(httpContext, postgres),
            RpcException rpc => ChainFailure(rpc),
            _ => DatabaseProblems.Unreachable(httpContext, exception),
        };

        if (problem is null)
        {
            if (httpContext.RequestAborted.IsCancellationRequested)
            {
                return true;
            }
            logger.LogError(exception, "Unhandled exception");
            problem = new ProblemDetails
            {
                Status = 500,
                Title = "Internal server error.",
                Detail = "The server failed to answer this request. The trace id identifies it in the server's logs.",
            };
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>
    /// A 502 whose body names neither the node's host nor its URL (hosted providers put API keys in it): only the
    /// kind of failure and a fixed sentence. The full, redacted message goes to the log for the operator.
    /// </summary>
    private ProblemDetails ChainFailure(RpcException rpc)
    {
        logger.LogWarning("Chain call failed: {Kind}: {Message}", rpc.Kind, rpc.Message);
        return new ProblemDetails
        {
            Status = 502,
            Title = "The chain node refused the request or did not answer.",
            Detail = $"{rpc.Kind}: {rpc.PublicMessage}",
        };
    }

    private static ProblemDetails FromDomain(HttpContext httpContext, DomainException refused)
    {
        var problem = new ProblemDetails { Status = StatusFor(refused.Kind), Title = refused.Title, Detail = refused.Message };
        foreach (var (name, value) in refused.Facts)
        {
            problem.Extensions[name] = value;
        }
        if (refused.Kind == DomainErrorKind.Unauthorized)
        {
            httpContext.Response.Headers.WWWAuthenticate = "Bearer";
        }
        return problem;
    }

    private static int StatusFor(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.Unauthorized => 401,
        DomainErrorKind.Invalid => 400,
        DomainErrorKind.NotFound => 404,
        DomainErrorKind.Forbidden => 403,
        DomainErrorKind.Conflict => 409,
        DomainErrorKind.PreconditionFailed => 412,
        DomainErrorKind.TooSoon => 429,
        DomainErrorKind.Unavailable => 503,
        DomainErrorKind.PaymentRequired => 402,
        DomainErrorKind.Unprocessable => 422,
        _ => 400,
    };

    private static ProblemDetails TooSoon(HttpContext httpContext, TooSoonException tooSoon)
    {
        httpContext.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(tooSoon.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails { Status = 429, Title = tooSoon.Title, Detail = tooSoon.Message };
    }

    /// <summary>A 402 that says which balance is short and by how much ("missing": "2.5"), so a client can top it up.</summary>
    private static ProblemDetails Insufficient(InsufficientBalanceException refused) => new()
    {
        Status = 402,
        Title = refused.Title,
        Detail = refused.Message,
        Extensions =
        {
            ["balance"] = refused.Shortfall.Kind.Text(),
            ["missing"] = refused.Shortfall.Missing.ToString(),
        },
    };

    private static HttpValidationProblemDetails Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(errors.ToDictionary())
        {
            Status = 400,
            Title = "One or more fields are invalid.",
            Detail = string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
        };

    private static ProblemDetails Concurrency(HttpContext httpContext) => httpContext.Request.Headers.IfMatch.Count > 0
        ? new ProblemDetails { Status = 412, Title = "Precondition failed.", Detail = "The object changed after the version named in If-Match was read. GET it again and retry with the new ETag." }
        : new ProblemDetails { Status = 409, Title = "Conflict.", Detail = "The object was changed by another request at the same time. GET it again and retry." };

    private static ProblemDetails FromBadRequest(BadHttpRequestException bad) => bad.StatusCode switch
    {
        413 => new ProblemDetails { Status = 413, Title = "Request body too large.", Detail = bad.Message },
        415 => new ProblemDetails { Status = 415, Title = "Unsupported media type.", Detail = "Send the body as JSON with Content-Type: application/json." },
        // ASP.NET's own words for a missing body name its parameter and suggest a service; a client needs neither.
        _ when bad.Message.Contains("no body was provided", StringComparison.Ordinal) || bad.Message.Contains("was not provided from body", StringComparison.Ordinal) =>
            new ProblemDetails { Status = 400, Title = "A JSON body is required.", Detail = "This request takes a JSON body (Content-Type: application/json); none was sent." },
        _ => new ProblemDetails { Status = bad.StatusCode, Title = "Bad request.", Detail = bad.Message },
    };

    /// <summary>
    /// Turns System.Text.Json's messages into ones a client can act on, keyed by the JSON path of the field
    /// ("$.gpuCount" becomes "gpuCount"), saying what the field must hold, without .NET type names.
    /// </summary>
    private static HttpValidationProblemDetails FromJson(JsonException json, Type? requestType, IServiceProvider services)
    {
        var missing = MissingProperties().Match(json.Message);
        if (missing.Success)
        {
            var names = MissingNames().Matches(missing.Value).Select(m => m.Groups[1].Value).ToArray();
            return Validation(names.ToDictionary(n => n, _ => IsRequired));
        }
        var duplicate = DuplicateProperty().Match(json.Message);
        if (duplicate.Success)
        {
            return Validation(new Dictionary<string, string[]>
            {
                [duplicate.Groups[1].Value] = ["appears more than once in the body; send each field once."],
            });
        }
        var unmapped = UnmappedProperty().Match(json.Message);
        if (unmapped.Success)
        {
            return Validation(new Dictionary<string, string[]>
            {
                [unmapped.Groups[1].Value] = ["is not a field of this request; check its spelling against the API document."],
            });
        }
        var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? null : json.Path.TrimStart('$', '.');
        if (json is JsonFieldException refused)
        {
            // The converter knows the precise reason (19 decimals, a JSON number, a control character...).
            return Validation(new Dictionary<string, string[]> { [field ?? "body"] = [refused.Reason] });
        }
        if (field is null || !json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            var where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine})" : "";
            return Validation(new Dictionary<string, string[]> { [field ?? "body"] = [$"is not valid JSON{where}."] });
        }
        return Validation(new Dictionary<string, string[]> { [field] = [$"must be {JsonFieldTypes.Describe(requestType, field, services)}."] });
    }

    [GeneratedRegex("missing required properties including: .*")]
    private static partial Regex MissingProperties();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex MissingNames();

    [GeneratedRegex("Duplicate property '([^']+)' encountered")]
    private static partial Regex DuplicateProperty();

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnmappedProperty();
}
