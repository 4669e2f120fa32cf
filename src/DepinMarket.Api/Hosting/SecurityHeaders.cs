namespace DepinMarket.Api.Hosting;

/// <summary>
/// Headers every answer carries: X-Content-Type-Options: nosniff (a browser never guesses a JSON error is HTML),
/// and on the API's own answers Cache-Control: no-store. Several of them carry secrets shown once (new API keys),
/// and none is meant for a shared cache: each depends on the caller's key.
/// </summary>
public static class SecurityHeaders
{
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (context.Request.Path.StartsWithSegments("/v1") || context.Request.Path.StartsWithSegments("/health"))
                {
                    headers.CacheControl = "no-store";
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
