using System.Diagnostics;
using System.Net;
using System.Text.Json;
using DepinMarket.Api.Tests.Infrastructure;

namespace DepinMarket.Api.Tests;

/// <summary>
/// The Python verifier README gives integrators, run as written against real deliveries: it must accept what the API
/// sends and refuse a body or secret that is not the one signed. If README's lines drift from what the API does,
/// this fails.
/// </summary>
public sealed class WebhookReadmeVerifierTests(WebhookApi api) : IClassFixture<WebhookApi>, IAsyncLifetime
{
    private const string Marker = "<!-- webhook-verify-python -->";

    // Reads the secret, the headers (JSON) and the body's file from the command line; prints True or False.
    private const string Driver = """

        if __name__ == "__main__":
            import json, sys
            with open(sys.argv[3], "rb") as f:
                print(verify(sys.argv[1], json.loads(sys.argv[2]), f.read()))
        """;

    private WebhookListener _listener = null!;

    public async Task InitializeAsync() => _listener = await WebhookListener.StartAsync();

    public async Task DisposeAsync() => await _listener.DisposeAsync();

    [Fact]
    public async Task The_readme_python_verifier_accepts_a_real_delivery_and_refuses_a_changed_body_or_another_secret()
    {
        var account = await api.SignUpAsync("client");
        var (hook, secret) = await account.AddWebhookAsync(_listener.Url("/python"), "deposit.credited");
        await account.Http.PostAsync($"/v1/webhooks/{hook}/test", null);
        // The signature's timestamp is the API's clock, which this class's tests move; the verifier checks it against now.
        await api.DeliverAsync();
        var delivery = Assert.Single(_listener.Received, r => r.Path == "/python");
        var script = Path.Combine(Path.GetTempPath(), $"verify-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, ReadmePython() + Driver);
        try
        {
            Assert.Equal("True", await VerifyAsync(script, secret, delivery, delivery.Body));
            Assert.Equal("False", await VerifyAsync(script, secret, delivery, [.. delivery.Body, (byte)' ']));
            Assert.Equal("False", await VerifyAsync(script, "whsec_" + Convert.ToBase64String(new byte[32]), delivery, delivery.Body));
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string ReadmePython()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var start = readme.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no {Marker} block");
        var open = readme.IndexOf("```python\n", start, StringComparison.Ordinal) + "```python\n".Length;
        var close = readme.IndexOf("\n```", open, StringComparison.Ordinal);
        return readme[open..close];
    }

    private static async Task<string> VerifyAsync(string script, string secret, ReceivedWebhook delivery, byte[] body)
    {
        var bodyFile = Path.GetTempFileName();
        await File.WriteAllBytesAsync(bodyFile, body);
        try
        {
            var headers = JsonSerializer.Serialize(new Dictionary<string, string?>
            {
                ["webhook-id"] = delivery.Id, ["webhook-timestamp"] = delivery.Timestamp, ["webhook-signature"] = delivery.Signature,
            });
            var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { script, secret, headers, bodyFile })
            {
                start.ArgumentList.Add(argument);
            }
            using var python = Process.Start(start)!;
            var output = await python.StandardOutput.ReadToEndAsync();
            var errors = await python.StandardError.ReadToEndAsync();
            await python.WaitForExitAsync();
            Assert.True(python.ExitCode == 0, $"python3 failed: {errors}");
            return output.Trim();
        }
        finally
        {
            File.Delete(bodyFile);
        }
    }
}
