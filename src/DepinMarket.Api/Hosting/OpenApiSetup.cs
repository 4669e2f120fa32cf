using System.Text.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Features.Offers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DepinMarket.Api.Hosting;

public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";
    private const string SchemeId = "ApiKey";

    /// <summary>
    /// The OpenAPI document (Microsoft.AspNetCore.OpenApi) with: the API-key scheme so Swagger UI's
    /// "Authorize" works, search filters as documented query parameters, and an example on every request
    /// and response body. The document is committed (docs/openapi/v1.json); a test fails when it drifts.
    /// </summary>
    public static WebApplicationBuilder AddMarketOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi("v1", options =>
        {
            options.AddTokenAmountSchemas();
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
                var search = context.Description.ActionDescriptor.EndpointMetadata.OfType<SearchDocumentation>().FirstOrDefault();
                if (search is not null)
                {
                    DocumentSearchParameters(operation, search);
                }
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any())
                {
                    operation.Security = [];
                }
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (OpenApiExamples.For(context.JsonTypeInfo.Type) is { } example)
                {
                    schema.Examples = [JsonSerializer.SerializeToNode(example, context.JsonTypeInfo.Options)!];
                }
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapMarketOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
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

    private static void DocumentSearchParameters(OpenApiOperation operation, SearchDocumentation search)
    {
        operation.Parameters ??= [];
        foreach (var (name, description, example) in search.Filters)
        {
            operation.Parameters.Add(Query(name, description, JsonValue.Create(example)));
        }
        var sorts = string.Join("; ", search.Sorts.Select(s => $"\"{s.Name}\": {s.Description}"));
        operation.Parameters.Add(Query("sort", $"Sort order (default \"{search.DefaultSort}\"): {sorts}", null,
            [.. search.Sorts.Select(s => (JsonNode)JsonValue.Create(s.Name))]));
        foreach (var (name, description) in Features.Offers.Search.SearchParameters.Common.Where(p => p.Key != "sort"))
        {
            operation.Parameters.Add(Query(name, description, null));
        }
    }

    private static OpenApiParameter Query(string name, string description, JsonNode? example, List<JsonNode>? values = null) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Required = false,
        Example = example,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = values },
    };
}
