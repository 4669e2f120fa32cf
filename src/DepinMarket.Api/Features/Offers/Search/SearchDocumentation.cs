using System.Text.Json.Nodes;
using DepinMarket.Domain.Offers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DepinMarket.Api.Features.Offers.Search;

/// <summary>Endpoint metadata that <see cref="SearchDocumentationTransformer"/> turns into documented query parameters.</summary>
public sealed record SearchDocumentation(
    (string Name, string Description, string Example, FilterValueType Type)[] Filters,
    (string Name, string Description)[] Sorts,
    string DefaultSort)
{
    public static SearchDocumentation Of<TOffer>(SearchSchema<TOffer> schema) where TOffer : Offer => new(
        [.. schema.Filters.Select(f => (f.Name, f.Description, f.Example, f.ValueType))],
        [.. schema.Sorts.Select(s => (s.Key, s.Value.Description))],
        schema.DefaultSort);
}

/// <summary>
/// Documents a search's filters and paging parameters, each typed (numbers as integers, flags as booleans,
/// amounts as strings). Examples go into the description, never into the parameter's example: Swagger UI
/// pre-fills a form with examples, and a newcomer who types only a price would then send nine filters.
/// </summary>
internal sealed class SearchDocumentationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var search = context.Description.ActionDescriptor.EndpointMetadata.OfType<SearchDocumentation>().FirstOrDefault();
        if (search is null)
        {
            return Task.CompletedTask;
        }
        operation.Parameters ??= [];
        foreach (var (name, description, example, type) in search.Filters)
        {
            operation.Parameters.Add(Query(name, $"{description} Example: {example}", Schema(type)));
        }
        var sorts = string.Join("; ", search.Sorts.Select(s => $"\"{s.Name}\": {s.Description}"));
        operation.Parameters.Add(Query("sort", $"Sort order (default \"{search.DefaultSort}\"): {sorts}",
            new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. search.Sorts.Select(s => (JsonNode)JsonValue.Create(s.Name))] }));
        operation.Parameters.Add(Query("limit", SearchParameters.Common["limit"],
            new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = SearchParameters.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        operation.Parameters.Add(Query("cursor", SearchParameters.Common["cursor"], Schema(FilterValueType.Text)));
        operation.Parameters.Add(Query("mine", SearchParameters.Common["mine"], Schema(FilterValueType.Boolean)));
        operation.Parameters.Add(Query("status", SearchParameters.Common["status"], new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [.. Enum.GetNames<OfferStatus>().Select(n => (JsonNode)JsonValue.Create(n.ToLowerInvariant()))],
        }));
        return Task.CompletedTask;
    }

    private static OpenApiSchema Schema(FilterValueType type) => type switch
    {
        FilterValueType.WholeNumber => new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
        FilterValueType.Boolean => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        FilterValueType.TokenAmount => new OpenApiSchema { Type = JsonSchemaType.String, Pattern = @"^[0-9]+(\.[0-9]{1,18})?$" },
        _ => new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static OpenApiParameter Query(string name, string description, OpenApiSchema schema) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Required = false,
        Schema = schema,
    };
}
