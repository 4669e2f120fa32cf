using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>A cursor the server did not issue is a 400 naming "cursor", whatever is inside it; never a 500.</summary>
public sealed class ForgedCursorTests(MarketApi api) : IClassFixture<MarketApi>
{
    private static readonly string Id = Guid.NewGuid().ToString();

    public static TheoryData<string, string> Forgeries() => new()
    {
        { "price", Cursor($$"""{"Sort":"price","Key":"abc","Id":"{{Id}}"}""") },
        { "price", Cursor($$"""{"Sort":"price","Key":"-5","Id":"{{Id}}"}""") },
        { "price", Cursor($$"""{"Sort":"price","Key":" 5","Id":"{{Id}}"}""") },
        { "price", Cursor($$"""{"Sort":"price","Key":"{{new string('9', 90)}}","Id":"{{Id}}"}""") },
        { "price", Cursor($$"""{"Sort":"price","Key":"115792089237316195423570985008687907853269984665640564039457584007913129639936","Id":"{{Id}}"}""") },
        { "newest", Cursor($$"""{"Sort":"newest","Key":"9223372036854775807","Id":"{{Id}}"}""") },
        { "newest", Cursor($$"""{"Sort":"newest","Key":"3155378975999999999999","Id":"{{Id}}"}""") },
        { "newest", Cursor($$"""{"Sort":"newest","Key":"0x10","Id":"{{Id}}"}""") },
        { "price", Cursor($$"""{"Sort":"price","Key":"5","Id":"not-a-guid"}""") },
        { "price", Cursor($$"""{"Sort":"price","Key":"5"}""") },
        { "price", Cursor($$"""{"Sort":null,"Key":"5","Id":"{{Id}}"}""") },
        { "price", Cursor("""{"Sort":"price","Key":5,"Id":7}""") },
        { "price", Cursor("null") },
        { "price", Cursor("[]") },
        { "price", Cursor("not json at all") },
        { "price", "%%%not-base64%%%" },
        { "price", new string('A', 5000) },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_cursor_is_a_400_naming_the_cursor(string sort, string cursor)
    {
        var client = await api.SignUpAsync("client");
        var response = await client.Http.GetAsync($"/v1/offers/compute?sort={sort}&cursor={Uri.EscapeDataString(cursor)}");
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("cursor", problem.ErrorsFor("cursor"));
    }

    [Theory]
    [InlineData("/v1/rewards/epochs", """{"x":1}""")]
    [InlineData("/v1/rewards/epochs", "{}")]
    [InlineData("/v1/payouts", """{"x":1}""")]
    [InlineData("/v1/rentals", "{}")]
    [InlineData("/v1/ledger", """{"After":1,"Extra":2}""")]
    public async Task A_cursor_of_another_shape_is_refused_not_read_as_a_position_of_defaults(string path, string json)
    {
        var client = await api.SignUpAsync("client");
        var response = await client.Http.GetAsync($"{path}?cursor={Uri.EscapeDataString(Cursor(json))}");
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("cursor", problem.ErrorsFor("cursor"));
    }

    [Fact]
    public async Task A_cursor_the_server_issued_still_pages()
    {
        var provider = await api.SignUpAsync("provider");
        for (var i = 0; i < 3; i++)
        {
            await provider.CreateComputeOfferAsync(Scenario.ComputeOffer(gpu: "L4", price: $"0.{i + 1}"));
        }
        var client = await api.SignUpAsync("client");
        var first = await client.Http.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/v1/offers/compute?gpu=L4&limit=2");
        var next = first!["nextCursor"]!.GetValue<string>();
        var second = await client.Http.GetAsync($"/v1/offers/compute?gpu=L4&limit=2&cursor={Uri.EscapeDataString(next)}");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    private static string Cursor(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
