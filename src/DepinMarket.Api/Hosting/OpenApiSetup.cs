using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DepinMarket.Api.Hosting;

public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    private const string SchemeId = "ApiKey";

    /// <summary>
    /// The OpenAPI document (Microsoft.AspNetCore.OpenApi) with: the API-key scheme so Swagger UI's
    /// "Authorize" works, public operations marked as needing no key, and the examples the features
    /// registered (<see cref="OpenApiExamples"/>) on request and response bodies. The document is committed
    /// (docs/openapi/v1.json); a test fails when it drifts.
    /// </summary>
    public static WebApplicationBuilder AddMarketOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.AddTokenAmountSchemas();
            options.AddSafeStringSchemas();
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "DepinMarket API",
                    Version = "v1",
                    Description = "An open marketplace for decentralised physical infrastructure: GPUs, storage and AI model endpoints. " +
                        "Sign up with POST /v1/accounts, then press Authorize and paste the API key it returns.",
                };
                // The document must not depend on the host it was fetched from, so it can be committed and diffed.
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "dpm_<prefix>_<secret>",
                    Description = "The API key returned by POST /v1/accounts or POST /v1/accounts/me/api-keys.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] }];
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any())
                {
                    operation.Security = [];
                }
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.ApplicationServices.GetService<OpenApiExamples>()?.For(context.JsonTypeInfo.Type) is { } example)
                {
                    schema.Examples = [JsonSerializer.SerializeToNode(example, context.JsonTypeInfo.Options)!];
                }
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>
    /// Lets a feature add to the API document (an operation transformer for its own endpoints, say) without
    /// this file knowing the feature.
    /// </summary>
    public static WebApplicationBuilder ConfigureOpenApi(this WebApplicationBuilder builder, Action<OpenApiOptions> configure)
    {
        builder.Services.Configure(DocumentName, configure);
        return builder;
    }

    public static WebApplication MapMarketOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint(DocumentPath, "DepinMarket v1");
            options.RoutePrefix = "swagger";
            options.DocumentTitle = "DepinMarket API";
            options.EnablePersistAuthorization();
            options.EnableTryItOutByDefault();
            options.EnableDeepLinking();
        });
        return app;
    }
}
