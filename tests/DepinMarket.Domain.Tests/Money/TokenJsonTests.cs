using System.Text.Json;
using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Tests.Money;

public sealed class TokenJsonTests
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new TokenAmountJsonConverter(), new TokenDeltaJsonConverter() },
    };

    private sealed record Priced(TokenAmount Price, TokenDelta Change, TokenAmount? Discount);

    [Fact]
    public void Amounts_and_deltas_round_trip_through_JSON_as_decimal_strings()
    {
        var random = new RandomTokens(30);
        using var amounts = random.Amounts(2000).GetEnumerator();
        using var deltas = random.Deltas(2000).GetEnumerator();
        while (amounts.MoveNext() && deltas.MoveNext())
        {
            var value = new Priced(amounts.Current, deltas.Current, random.Coin() ? null : amounts.Current);
            var json = JsonSerializer.Serialize(value, Options);
            Assert.Contains($"\"Price\":\"{amounts.Current}\"", json);
            Assert.Contains($"\"Change\":\"{deltas.Current}\"", json);
            Assert.Equal(value, JsonSerializer.Deserialize<Priced>(json, Options));
        }
    }

    [Theory]
    [InlineData("2.5", "not a JSON number")]
    [InlineData("25", "not a JSON number")]
    [InlineData("null", "not null")]
    [InlineData("true", "not true or false")]
    [InlineData("{}", "not a JSON object or array")]
    [InlineData("[\"1\"]", "not a JSON object or array")]
    [InlineData("\"2.1234567890123456789\"", "has 19 decimals")]
    [InlineData("\"-1\"", "must not be negative")]
    [InlineData("\"abc\"", "decimal string")]
    [InlineData("\"115792089237316195423570985008687907853269984665640564039458\"", "larger than the largest amount")]
    public void A_bad_amount_says_precisely_why(string value, string reason)
    {
        var error = Assert.Throws<JsonFieldException>(() => JsonSerializer.Deserialize<Priced>($"{{\"Price\":{value},\"Change\":\"0\"}}", Options));
        Assert.Contains(reason, error.Reason);
        Assert.Equal("$.Price", error.Path);
    }

    [Fact]
    public void A_null_optional_amount_is_null_and_a_number_for_a_delta_is_refused()
    {
        Assert.Null(JsonSerializer.Deserialize<Priced>("{\"Price\":\"1\",\"Change\":\"-1\",\"Discount\":null}", Options)!.Discount);
        var error = Assert.Throws<JsonFieldException>(() => JsonSerializer.Deserialize<Priced>("{\"Price\":\"1\",\"Change\":-1}", Options));
        Assert.Contains("not a JSON number", error.Reason);
        Assert.Equal("$.Change", error.Path);
    }
}
