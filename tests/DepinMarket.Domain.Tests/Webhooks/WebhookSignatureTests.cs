using System.Text;
using DepinMarket.Domain.Webhooks;

namespace DepinMarket.Domain.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    // The test vector published with the Standard Webhooks specification and its reference libraries (svix and
    // standardwebhooks sign it the same way): a receiver's off-the-shelf library will accept what we send.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private static readonly byte[] SpecBody = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static readonly DateTimeOffset SpecTime = DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp);

    [Fact]
    public void Signing_the_specification_vector_gives_its_published_signature()
    {
        Assert.Equal(SpecSignature, WebhookSignature.Sign(WebhookSecret.KeyOf(SpecSecret), SpecId, SpecTimestamp, SpecBody));
    }

    [Fact]
    public void The_specification_vector_verifies_and_any_change_to_id_timestamp_body_or_key_does_not()
    {
        var key = WebhookSecret.KeyOf(SpecSecret);
        var tolerance = TimeSpan.FromMinutes(5);
        Assert.True(WebhookSignature.Verify(key, SpecId, "1614265330", SpecSignature, SpecBody, SpecTime, tolerance));
        Assert.False(WebhookSignature.Verify(key, SpecId + "x", "1614265330", SpecSignature, SpecBody, SpecTime, tolerance));
        Assert.False(WebhookSignature.Verify(key, SpecId, "1614265331", SpecSignature, SpecBody, SpecTime, tolerance));
        Assert.False(WebhookSignature.Verify(key, SpecId, "1614265330", SpecSignature, Encoding.UTF8.GetBytes("{\"test\": 2432232315}"), SpecTime, tolerance));
        Assert.False(WebhookSignature.Verify(WebhookSecret.KeyOf(WebhookSecret.Generate()), SpecId, "1614265330", SpecSignature, SpecBody, SpecTime, tolerance));
    }

    [Fact]
    public void A_header_with_several_signatures_verifies_when_one_matches_as_during_a_secret_rotation()
    {
        var key = WebhookSecret.KeyOf(SpecSecret);
        Assert.True(WebhookSignature.Verify(key, SpecId, "1614265330", $"v1,bm9wZQ== {SpecSignature}", SpecBody, SpecTime, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(key, SpecId, "1614265330", "v1,bm9wZQ== v1,AAAA", SpecBody, SpecTime, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData(-301, false)]
    [InlineData(-299, true)]
    [InlineData(299, true)]
    [InlineData(301, false)]
    public void A_timestamp_outside_the_tolerance_is_refused_so_a_captured_delivery_cannot_be_replayed_later(int secondsOff, bool accepted)
    {
        var key = WebhookSecret.KeyOf(SpecSecret);
        Assert.Equal(accepted, WebhookSignature.Verify(key, SpecId, "1614265330", SpecSignature, SpecBody, SpecTime.AddSeconds(secondsOff), TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1614265330")]
    [InlineData("1614265330.0")]
    [InlineData("16142653300000000000000")]
    public void A_timestamp_that_is_not_whole_seconds_is_refused(string timestamp)
    {
        Assert.False(WebhookSignature.Verify(WebhookSecret.KeyOf(SpecSecret), SpecId, timestamp, SpecSignature, SpecBody, SpecTime, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_generated_secret_is_whsec_and_32_random_bytes_in_base64()
    {
        var a = WebhookSecret.Generate();
        var b = WebhookSecret.Generate();
        Assert.StartsWith("whsec_", a);
        Assert.Equal(32, WebhookSecret.KeyOf(a).Length);
        Assert.NotEqual(a, b);
        Assert.Throws<FormatException>(() => WebhookSecret.KeyOf("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    }
}
