using DepinMarket.Domain;
using Microsoft.Extensions.Primitives;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// Query strings are read strictly everywhere: a parameter the endpoint does not take, one given twice, or one with
/// control characters is a 400 naming it (with the closest name it does take, when one is close), never ignored. An
/// API that drops what it does not know answers "?limt=5" with a full page and "?status=held" with everything, and
/// the client never learns why. Offer search checks its filters with <see cref="Accept"/>; list endpoints declare
/// theirs with <see cref="AcceptsQuery"/>.
/// </summary>
public static class QueryParameters
{
    /// <summary>
    /// Refuses, before the handler runs, every query parameter of the request but <paramref name="names"/> (none: the
    /// endpoint takes no query parameters), each repeated parameter and each control character, in one 400.
    /// </summary>
    public static RouteHandlerBuilder AcceptsQuery(this RouteHandlerBuilder endpoint, params string[] names) =>
        endpoint
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                // The route as declared ("/v1/withdrawals/" in a group reads "/v1/withdrawals"), not the path as typed.
                var route = ((http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "").TrimEnd('/');
                var errors = new Validation();
                foreach (var (name, values) in http.Request.Query)
                {
                    Accept(name, values, names, $"parameter of {http.Request.Method} {route}", errors);
                }
                errors.ThrowIfInvalid();
                return await next(context);
            })
            .ProducesProblem(StatusCodes.Status400BadRequest);

    /// <summary>
    /// True when the parameter is one of <paramref name="allowed"/>, given once, without control characters; otherwise
    /// adds why not to <paramref name="errors"/> under its name (under "query" when the name itself is unreadable).
    /// <paramref name="what"/> completes "is not a …" ("filter of compute search").
    /// </summary>
    public static bool Accept(string name, StringValues values, IReadOnlyCollection<string> allowed, string what, Validation errors)
    {
        if (ControlCharacters.AreIn(name))
        {
            errors.Add("query", $"has a parameter name that {ControlCharacters.Refusal}");
            return false;
        }
        if (values.Any(v => v is not null && ControlCharacters.AreIn(v)))
        {
            errors.Add(name, ControlCharacters.Refusal);
            return false;
        }
        if (values.Count > 1)
        {
            errors.Add(name, "was given more than once; give each parameter once.");
            return false;
        }
        if (!allowed.Contains(name))
        {
            errors.Add(name, Unknown(name, allowed, what));
            return false;
        }
        return true;
    }

    private static string Unknown(string name, IReadOnlyCollection<string> allowed, string what)
    {
        if (allowed.Count == 0)
        {
            return $"is not a {what}: it takes no query parameters.";
        }
        var closest = allowed.MinBy(a => EditDistance.Between(a.ToLowerInvariant(), name.ToLowerInvariant()));
        var hint = closest is not null && EditDistance.Between(closest.ToLowerInvariant(), name.ToLowerInvariant()) <= 3
            ? $" Did you mean \"{closest}\"?"
            : "";
        return $"is not a {what}.{hint} Allowed: {string.Join(", ", allowed)}.";
    }
}

/// <summary>Levenshtein distance, to suggest the parameter a client probably meant.</summary>
internal static class EditDistance
{
    public static int Between(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
