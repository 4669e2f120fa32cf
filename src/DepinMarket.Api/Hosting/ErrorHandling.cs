using Microsoft.AspNetCore.Http.Features;

namespace DepinMarket.Api.Hosting;

public static class ErrorHandling
{
    /// <summary>
    /// Every error leaves as RFC 9457 problem details: exceptions through <see cref="ProblemExceptionHandler"/>,
    /// bare status codes (an unknown route's 404, a 405) through the status-code-pages middleware.
    /// </summary>
    public static WebApplicationBuilder AddProblemResponses(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Paths and details may echo what the client sent, a key pasted into a URL included.
            context.ProblemDetails.Instance = SecretRedaction.Redact(context.ProblemDetails.Instance ?? context.HttpContext.Request.Path);
            if (context.ProblemDetails.Detail is { } detail)
            {
                context.ProblemDetails.Detail = SecretRedaction.Redact(detail);
            }
            if (context.ProblemDetails is HttpValidationProblemDetails validation)
            {
                var errors = validation.Errors.ToDictionary(e => SecretRedaction.Redact(e.Key), e => e.Value.Select(SecretRedaction.Redact).ToArray());
                validation.Errors.Clear();
                foreach (var (field, messages) in errors)
                {
                    validation.Errors[field] = messages;
                }
            }
            var activity = context.HttpContext.Features.Get<IHttpActivityFeature>()?.Activity;
            context.ProblemDetails.Extensions["traceId"] = activity?.Id ?? context.HttpContext.TraceIdentifier;
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // Minimal APIs answer a body they cannot read with a bare 400 unless told to throw; throwing lets
        // the one exception handler say *what* could not be read (which field, why).
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }

    public static WebApplication UseProblemResponses(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => StatusCodeProblem.WriteAsync(context.HttpContext));
        return app;
    }
}
