using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace DepinMarket.Api.Auth;

/// <summary>Writes a refused authorization as a 403 problem that names the reason (read-only key, wrong role...).</summary>
internal sealed class ProblemAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        // No route of ours matched (an unknown path, Swagger UI's static files, or routing's own 405 endpoint for a
        // method a path does not take): the fallback policy has nothing to protect there, and the caller deserves
        // the 404 or 405 that says what is wrong.
        if (context.GetEndpoint() is not RouteEndpoint)
        {
            await next(context);
            return;
        }
        if (!authorizeResult.Forbidden)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        var reasons = authorizeResult.AuthorizationFailure?.FailureReasons.Select(r => r.Message).Distinct().ToArray() ?? [];
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = 403,
                Title = "Forbidden.",
                Detail = reasons.Length > 0 ? string.Join(" ", reasons) : "This API key may not do this.",
            },
        });
    }
}
