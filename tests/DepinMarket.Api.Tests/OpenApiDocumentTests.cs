using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace DepinMarket.Api.Tests;

/// <summary>What the API document promises, checked against what the server does.</summary>
public sealed class OpenApiDocumentTests(MarketApi api) : IClassFixture<MarketApi>
{
    private static readonly string[] Methods = ["get", "post", "put", "delete", "patch"];

    [Fact]
    public async Task Every_operation_that_is_not_public_refuses_a_request_without_a_key()
    {
        var document = JsonNode.Parse(await api.Client().GetStringAsync("/openapi/v1.json"))!;
        var checkedOperations = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var method in Methods.Where(m => item!.AsObject().ContainsKey(m)))
            {
                var operation = item![method]!.AsObject();
                var isPublic = operation["security"] is JsonArray { Count: 0 };
                if (isPublic)
                {
                    continue;
                }
                var url = string.Join('/', path.Split('/').Select(s => s.StartsWith('{') ? Guid.NewGuid().ToString() : s));
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
                if (method is "post" or "put" or "patch")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }
                var response = await api.Client().SendAsync(request);
                await response.ProblemAsync(HttpStatusCode.Unauthorized);
                checkedOperations++;
            }
        }
        Assert.True(checkedOperations >= 30, $"only {checkedOperations} protected operations found in the document");
    }

    [Fact]
    public async Task Endpoints_without_an_explicit_policy_require_an_authenticated_caller()
    {
        var fallback = await api.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        Assert.NotNull(fallback);
        Assert.Contains(fallback.Requirements, r => r is Microsoft.AspNetCore.Authorization.Infrastructure.DenyAnonymousAuthorizationRequirement);
    }

    [Fact]
    public async Task An_unknown_path_is_a_404_that_says_so_even_without_a_key()
    {
        var problem = await (await api.Client().GetAsync("/v1/no-such-thing")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("/openapi/v1.json", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_method_a_path_does_not_take_is_a_405_even_without_a_key()
    {
        var response = await api.Client().DeleteAsync("/v1/chain");
        var problem = await response.ProblemAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Contains("DELETE is not allowed", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_parameters_are_typed_and_carry_no_prefilled_examples()
    {
        var document = JsonNode.Parse(await api.Client().GetStringAsync("/openapi/v1.json"))!;
        var parameters = document["paths"]!["/v1/offers/compute"]!["get"]!["parameters"]!.AsArray().Select(p => p!.AsObject()).ToList();

        Assert.DoesNotContain(parameters, p => p.ContainsKey("example") || p.ContainsKey("examples"));
        string TypeOf(string name) => parameters.Single(p => p["name"]!.GetValue<string>() == name)["schema"]!["type"]!.GetValue<string>();
        Assert.Equal("integer", TypeOf("minGpus"));
        Assert.Equal("integer", TypeOf("limit"));
        Assert.Equal("boolean", TypeOf("mine"));
        Assert.Equal("string", TypeOf("maxPricePerGpuHour"));
        Assert.Contains("Example: H100", parameters.Single(p => p["name"]!.GetValue<string>() == "gpu")["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Error_bodies_are_documented_with_real_examples_and_number_fields_with_the_domain_range()
    {
        var schemas = JsonNode.Parse(await api.Client().GetStringAsync("/openapi/v1.json"))!["components"]!["schemas"]!;
        Assert.Equal(404, schemas["ProblemDetails"]!["examples"]![0]!["status"]!.GetValue<int>());
        Assert.NotNull(schemas["HttpValidationProblemDetails"]!["examples"]![0]!["errors"]!["pricePerGpuHour"]);
        var gpuCount = schemas["ComputeOfferRequest"]!["properties"]!["gpuCount"]!;
        Assert.Equal(1, gpuCount["minimum"]!.GetValue<int>());
        Assert.Equal(64, gpuCount["maximum"]!.GetValue<int>());
    }
}
