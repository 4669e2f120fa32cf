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
            // ASP.NET has no default type for 402; every problem names the RFC section of its status.
            if (context.ProblemDetails.Status == StatusCodes.Status402PaymentRequired)
            {
                context.ProblemDetails.Type ??= "https://tools.ietf.org/html/rfc9110#section-15.5.3";
            }
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
        // Swagger UI would otherwise show an error body as {"additionalProp1": ...}: show what one really says.
        builder.AddOpenApiExamples(new Dictionary<Type, object>
        {
            [typeof(Microsoft.AspNetCore.Mvc.ProblemDetails)] = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
                Title = "Compute offer not found.",
                Status = 404,
                Detail = $"No compute offer {OpenApiExamples.Values.Id} exists that this account can see.",
                Instance = $"/v1/offers/compute/{OpenApiExamples.Values.Id}",
                Extensions = { ["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
            },
            [typeof(HttpValidationProblemDetails)] = new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["pricePerGpuHour"] = ["has 19 decimals; the token has at most 18."],
                ["region"] = ["must be an ISO 3166-1 alpha-2 country code such as \"DE\"; got \"XX\"."],
            })
            {
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
                Title = "One or more fields are invalid.",
                Status = 400,
                Instance = "/v1/offers/compute",
                Extensions = { ["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
            },
        });
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
