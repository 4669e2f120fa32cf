using System.Diagnostics;
using DepinMarket.Api.Auth;

namespace DepinMarket.Api.Hosting;

/// <summary>
/// One line per request: method, route template (not the raw path, so ids do not explode log cardinality),
/// status, elapsed milliseconds, trace id and account id. Headers and query strings are never logged:
/// that is where API keys and other secrets travel.
/// </summary>
internal sealed class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value;
            logger.LogInformation(
                "HTTP {Method:l} {Route:l} responded {StatusCode} in {ElapsedMs:0.0} ms (trace {TraceId:l}, account {AccountId:l})",
                context.Request.Method, route, context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier,
                context.User.FindFirst(MarketClaims.AccountId)?.Value ?? (context.User.IsInRole(MarketClaims.OperatorRole) ? "operator" : "-"));
        }
    }
}

public static class RequestLoggingExtensions
{
    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        app.UseMiddleware<RequestLogging>();
        return app;
    }
}
