using System.Net;
using System.Net.Http.Json;
using System.Text;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>
/// NUL and other control characters, unpaired surrogates, duplicate JSON keys: each is a 400 that names the field,
/// never a 500 from PostgreSQL (which refuses NUL in text) and never a silently different reading of the body.
/// </summary>
public sealed class HostileTextTests(MarketApi api) : IClassFixture<MarketApi>
{
    private static readonly string[] Poison = ["\\u0000", "a\\u0000b", "\\u0007", "\\u001b[31m", "\\u007f", "\\ud800", "x\\udc00"];

    public static TheoryData<string> PoisonCases() => [.. Poison];

    [Theory]
    [MemberData(nameof(PoisonCases))]
    public async Task Anonymous_sign_up_refuses_control_characters_in_the_display_name(string poison)
    {
        var body = $$"""{"displayName":"Acme{{poison}}","roles":["provider"],"walletAddress":"0x00000000000000000000000000000000000000a1"}""";
        var problem = await (await Send(api.Client(), "/v1/accounts", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("control characters", problem.ErrorsFor("displayName"));
    }

    [Fact]
    public async Task A_NUL_in_the_wallet_address_is_refused_naming_the_field()
    {
        var body = """{"displayName":"Acme","roles":["provider"],"walletAddress":"0x00000000000000000000000000000000000000a1\u0000"}""";
        var problem = await (await Send(api.Client(), "/v1/accounts", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("control characters", problem.ErrorsFor("walletAddress"));
    }

    [Fact]
    public async Task A_NUL_in_a_role_array_element_is_refused()
    {
        var body = """{"displayName":"Acme","roles":["provider\u0000"],"walletAddress":"0x00000000000000000000000000000000000000a1"}""";
        await (await Send(api.Client(), "/v1/accounts", body)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Sign_in_verify_refuses_a_NUL_in_the_message_but_keeps_line_feeds_legal()
    {
        var nul = """{"message":"x\u0000\nNonce: abc","signature":"0x00"}""";
        var problem = await (await Send(api.Client(), "/v1/auth/verify", nul)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("control characters", problem.ErrorsFor("message"));

        // A message with only line feeds gets past the text rule and is judged on its content.
        var lines = """{"message":"example.com wants you to sign in\nNonce: 00","signature":"0x00"}""";
        var judged = await (await Send(api.Client(), "/v1/auth/verify", lines)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.DoesNotContain("control characters", judged.ToJsonString());
    }

    [Fact]
    public async Task Offer_fields_refuse_control_characters()
    {
        var provider = await api.SignUpAsync("provider");
        var offer = (await JsonContent.Create(Scenario.ComputeOffer()).ReadAsStringAsync())
            .Replace("\"region\":\"DE\"", "\"region\":\"D\\u0000E\"", StringComparison.Ordinal);
        var problem = await (await Send(provider.Http, "/v1/offers/compute", offer)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("control characters", problem.ErrorsFor("region"));
    }

    [Theory]
    [InlineData("gpu=H1%0000", "gpu")]
    [InlineData("region=D%00E", "region")]
    [InlineData("maxPricePerGpuHour=1%00", "maxPricePerGpuHour")]
    [InlineData("cursor=%00", "cursor")]
    [InlineData("sort=pr%00ice", "sort")]
    public async Task Search_parameters_refuse_control_characters(string query, string field)
    {
        var client = await api.SignUpAsync("client");
        var problem = await (await client.Http.GetAsync($"/v1/offers/compute?{query}")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("control characters", problem.ErrorsFor(field));
    }

    [Fact]
    public async Task A_search_filter_name_with_a_NUL_is_refused_as_unknown()
    {
        var client = await api.SignUpAsync("client");
        await (await client.Http.GetAsync("/v1/offers/compute?g%00pu=H100")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_field_given_twice_is_a_400_not_last_one_wins()
    {
        var body = """{"displayName":"Acme","displayName":"Mallory","roles":["provider"],"walletAddress":"0x00000000000000000000000000000000000000a1"}""";
        var problem = await (await Send(api.Client(), "/v1/accounts", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("more than once", problem.ErrorsFor("displayName"));
    }

    private static Task<HttpResponseMessage> Send(HttpClient http, string path, string body) =>
        http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
}
