using System.Net;
using DepinMarket.Domain.Rentals;
using DepinMarket.Domain.Webhooks;

namespace DepinMarket.Domain.Tests.Webhooks;

public sealed class WebhookRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_rental_event_has_a_subscribable_type_and_the_provider_hears_all_but_the_renters_warnings()
    {
        foreach (var type in Enum.GetValues<RentalEventType>())
        {
            Assert.True(WebhookEventTypes.IsSubscribable(WebhookEventTypes.ForRental(type)), type.ToString());
            Assert.Equal(type != RentalEventType.ChargeWarning, WebhookEventTypes.ProviderHears(type));
        }
        Assert.Equal("rental.charge_warning", WebhookEventTypes.ForRental(RentalEventType.ChargeWarning));
        Assert.Equal("rental.access_updated", WebhookEventTypes.ForRental(RentalEventType.AccessUpdated));
        Assert.True(WebhookEventTypes.IsSubscribable("deposit.credited"));
        Assert.False(WebhookEventTypes.IsSubscribable("webhook.test"));
        Assert.False(WebhookEventTypes.IsSubscribable("Rental.Created"));
    }

    [Theory]
    [InlineData("https://hooks.example.com/depin")]
    [InlineData("http://127.0.0.1:9000/hook?x=1")]
    [InlineData("https://[2001:db8::1]:8443/h")]
    public void An_absolute_http_or_https_url_is_accepted(string url)
    {
        var endpoint = WebhookEndpoint.Create(Guid.NewGuid(), url, ["rental.created"], null, Now);
        Assert.Equal(url, endpoint.Url);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("/relative/path", "absolute http or https")]
    [InlineData("ftp://files.example.com/x", "absolute http or https")]
    [InlineData("javascript:alert(1)", "absolute http or https")]
    [InlineData("https://user:pass@hooks.example.com/", "user name or password")]
    [InlineData("https://hooks.example.com/#frag", "fragment")]
    public void A_url_that_is_not_one_is_refused_with_the_reason_under_url(string? url, string reason)
    {
        var error = Assert.Throws<ValidationFailedException>(() => WebhookEndpoint.Create(Guid.NewGuid(), url, ["rental.created"], null, Now));
        Assert.Contains(reason, Assert.Single(error.Errors["url"]));
    }

    [Fact]
    public void A_url_over_2000_characters_is_refused()
    {
        var error = Assert.Throws<ValidationFailedException>(() =>
            WebhookEndpoint.Create(Guid.NewGuid(), "https://h.example.com/" + new string('a', 2000), ["rental.created"], null, Now));
        Assert.Contains("at most 2000", error.Errors["url"][0]);
    }

    [Fact]
    public void Event_types_must_be_known_and_the_answer_lists_the_unknown_ones_and_the_catalogue()
    {
        var error = Assert.Throws<ValidationFailedException>(() =>
            WebhookEndpoint.Create(Guid.NewGuid(), "https://h.example.com/", ["rental.created", "rental.exploded", "webhook.test"], null, Now));
        var message = Assert.Single(error.Errors["eventTypes"]);
        Assert.Contains("\"rental.exploded\", \"webhook.test\" are not event types", message);
        Assert.Contains("deposit.credited", message);
        Assert.Throws<ValidationFailedException>(() => WebhookEndpoint.Create(Guid.NewGuid(), "https://h.example.com/", [], null, Now));
    }

    [Fact]
    public void Repeated_event_types_are_kept_once_in_the_catalogues_order()
    {
        var endpoint = WebhookEndpoint.Create(Guid.NewGuid(), "https://h.example.com/", ["deposit.credited", "rental.created", "deposit.credited"], null, Now);
        Assert.Equal(["rental.created", "deposit.credited"], endpoint.EventTypes);
    }

    [Fact]
    public void A_change_keeps_what_it_does_not_name_and_a_rotation_replaces_the_secret()
    {
        var endpoint = WebhookEndpoint.Create(Guid.NewGuid(), "https://h.example.com/", ["rental.created"], "billing", Now);
        var secret = endpoint.Secret;
        endpoint.Change(null, null, null, false, Now.AddMinutes(1));
        Assert.Equal(("https://h.example.com/", "billing", false), (endpoint.Url, endpoint.Description, endpoint.Enabled));
        Assert.Equal(["rental.created"], endpoint.EventTypes);
        Assert.Throws<ValidationFailedException>(() => endpoint.Change("ftp://x", null, null, null, Now));
        Assert.Equal("https://h.example.com/", endpoint.Url);
        var rotated = endpoint.RotateSecret(Now.AddMinutes(2));
        Assert.NotEqual(secret, rotated);
        Assert.Equal(rotated, endpoint.Secret);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("100.128.0.1", false)]
    [InlineData("0.0.0.0", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("93.184.216.34", false)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::ffff:8.8.8.8", false)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("2001:4860:4860::8888", false)]
    public void Private_loopback_and_link_local_addresses_are_told_apart_from_public_ones(string address, bool isPrivate)
    {
        Assert.Equal(isPrivate, PrivateAddresses.Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void Retries_follow_the_schedule_and_stop_at_its_end()
    {
        var schedule = WebhookRetries.DefaultSchedule;
        Assert.Equal(TimeSpan.FromSeconds(5), WebhookRetries.After(1, schedule));
        Assert.Equal(TimeSpan.FromHours(10), WebhookRetries.After(7, schedule));
        Assert.Null(WebhookRetries.After(8, schedule));
        Assert.Equal(new TimeSpan(27, 35, 5), schedule.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait));
    }
}
