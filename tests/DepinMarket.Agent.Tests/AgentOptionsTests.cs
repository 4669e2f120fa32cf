namespace DepinMarket.Agent.Tests;

public class AgentOptionsTests
{
    [Fact]
    public void Without_arguments_the_agent_runs_against_the_local_api_every_30_seconds()
    {
        var options = Parse();

        Assert.Equal((AgentCommand.Run, new Uri(AgentOptions.DefaultApi), 30, 0, false), (options.Command, options.Api, options.IntervalSeconds, options.Simulate, options.Once));
        Assert.EndsWith(Path.Combine("depinmarket-agent", "state.json"), options.StatePath, StringComparison.Ordinal);
    }

    [Fact]
    public void The_api_key_comes_from_the_environment_when_not_given()
    {
        var (options, _) = AgentOptions.Parse([], name => name == AgentOptions.ApiKeyVariable ? "dpm_from_env" : null);

        Assert.Equal("dpm_from_env", options!.ApiKey);
    }

    [Fact]
    public void An_api_key_option_wins_over_the_environment()
    {
        var (options, _) = AgentOptions.Parse(["--api-key", "dpm_option"], _ => "dpm_from_env");

        Assert.Equal("dpm_option", options!.ApiKey);
    }

    [Fact]
    public void Values_are_taken_after_a_space_or_an_equals_sign()
    {
        var options = Parse("--interval=15", "--simulate", "4", "--verbose");

        Assert.Equal((15, 4, true), (options.IntervalSeconds, options.Simulate, options.Verbose));
    }

    [Theory]
    [InlineData("--intervall", "30")]
    [InlineData("--interval", "0")]
    [InlineData("--interval", "soon")]
    [InlineData("--api", "ftp://x")]
    [InlineData("--offer-price", "2.5")]
    [InlineData("--simulate", "1001")]
    [InlineData("--file", "data.bin")]
    public void A_mistake_is_an_error_not_a_default(string name, string value)
    {
        var (options, error) = AgentOptions.Parse([name, value], _ => null);

        Assert.Null(options);
        Assert.NotNull(error);
    }

    [Fact]
    public void An_offer_price_with_a_region_is_taken()
    {
        var options = Parse("--offer-price", "2.5", "--region", "de");

        Assert.Equal(("2.5", "DE"), (options.OfferPrice, options.Region));
    }

    [Fact]
    public void Prove_takes_the_file_index_and_nonce()
    {
        var nonce = "0x" + new string('A', 64);

        var options = Parse("prove", "--file", "data.bin", "--index", "17", "--nonce", nonce);

        Assert.Equal((AgentCommand.Prove, "data.bin", 17, nonce.ToLowerInvariant()), (options.Command, options.File, options.Index, options.Nonce));
    }

    [Fact]
    public void Prove_without_an_index_is_an_error()
    {
        Assert.Null(AgentOptions.Parse(["prove", "--file", "data.bin"], _ => null).Options);
    }

    [Fact]
    public void A_nonce_that_is_not_32_bytes_of_hex_is_an_error()
    {
        Assert.Null(AgentOptions.Parse(["prove", "--file", "d", "--index", "0", "--nonce", "0x1234"], _ => null).Options);
    }

    private static AgentOptions Parse(params string[] args)
    {
        var (options, error) = AgentOptions.Parse(args, _ => null);
        return options ?? throw new InvalidOperationException(error);
    }
}
