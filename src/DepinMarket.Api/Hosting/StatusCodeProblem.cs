namespace DepinMarket.Api.Hosting;

/// <summary>Problem details, with a sentence of help, for responses the framework ends with a bare status code.</summary>
internal static class StatusCodeProblem
{
    public static async Task WriteAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var detail = status switch
        {
            404 => $"Nothing is at {context.Request.Path}. The API document at /openapi/v1.json lists every path.",
            405 => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
            415 => "Send the body as JSON with Content-Type: application/json.",
            _ => null,
        };
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail },
        });
    }
}
