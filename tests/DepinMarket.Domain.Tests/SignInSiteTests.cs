using DepinMarket.Domain.Auth;

namespace DepinMarket.Domain.Tests;

/// <summary>What an operator may configure as the site a sign-in message names (SignIn:Domain, SignIn:Uri).</summary>
public sealed class SignInSiteTests
{
    [Fact]
    public void Nothing_configured_is_valid_and_leaves_the_site_to_the_served_address()
    {
        Assert.True(SignInSite.TryConfigure(null, " ", out var site, out var error));
        Assert.Null(site);
        Assert.Null(error);
    }

    [Fact]
    public void A_domain_that_is_the_uris_authority_is_taken_as_configured()
    {
        Assert.True(SignInSite.TryConfigure("market.example.org:8443", "https://market.example.org:8443/signin", out var site, out _));
        Assert.Equal("market.example.org:8443", site!.Domain);
        Assert.Equal("https://market.example.org:8443/signin", site.Uri);
    }

    [Fact]
    public void Without_a_domain_the_uris_authority_is_the_domain()
    {
        Assert.True(SignInSite.TryConfigure(null, "https://market.example.org", out var site, out _));
        Assert.Equal("market.example.org", site!.Domain);
        Assert.Equal("https://market.example.org/", site.Uri);
    }

    [Fact]
    public void A_default_port_written_out_in_the_domain_names_the_same_authority()
    {
        Assert.True(SignInSite.TryConfigure("market.example.org:443", "https://market.example.org/", out var site, out _));
        Assert.Equal("market.example.org", site!.Domain);
    }

    [Fact]
    public void A_domain_that_is_not_the_uris_authority_is_refused_naming_both_and_the_fix()
    {
        Assert.False(SignInSite.TryConfigure("127.0.0.1:5080", "https://market.example.org", out var site, out var error));
        Assert.Null(site);
        Assert.Contains("SignIn:Domain (127.0.0.1:5080) is not the authority of SignIn:Uri (https://market.example.org)", error);
        Assert.Contains("set SignIn:Domain to market.example.org", error);
    }

    [Fact]
    public void A_different_port_is_a_different_site()
    {
        Assert.False(SignInSite.TryConfigure("market.example.org:8080", "http://market.example.org:8081", out _, out var error));
        Assert.Contains("market.example.org:8081", error);
    }

    [Fact]
    public void A_domain_without_a_uri_is_refused()
    {
        Assert.False(SignInSite.TryConfigure("market.example.org", null, out _, out var error));
        Assert.Contains("SignIn:Uri is not", error);
    }

    [Theory]
    [InlineData("market.example.org", "got \"market.example.org\".")]
    [InlineData("/signin", "scheme \"file\"")]
    [InlineData("ftp://market.example.org", "scheme \"ftp\"")]
    [InlineData("https://admin:secret@market.example.org", "user information")]
    public void A_uri_a_wallet_could_not_show_as_a_site_is_refused_with_the_reason(string uri, string reason)
    {
        Assert.False(SignInSite.TryConfigure(null, uri, out _, out var error));
        Assert.Contains("SignIn:Uri must be an absolute http or https URI", error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void The_message_names_the_site_in_its_first_line_and_its_uri_line()
    {
        Assert.True(SignInSite.TryConfigure(null, "http://[::1]:5081", out var site, out _));
        var message = SignInMessage.Create(site!, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 31337, "00", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1));
        var lines = message.Text.Split('\n');
        Assert.Equal("[::1]:5081 wants you to sign in with your Ethereum account:", lines[0]);
        Assert.Contains("URI: http://[::1]:5081/", lines);
    }
}
