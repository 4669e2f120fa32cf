using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace DepinMarket.Api.Hosting;

/// <summary>Configuration section "ForwardedHeaders": the proxies in front of the API whose X-Forwarded-* headers we believe.</summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>Proxy addresses, e.g. ["10.0.0.5"]. Empty (the default): no header is believed.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. ["10.0.0.0/8"].</summary>
    public string[] KnownNetworks { get; set; } = [];
}

/// <summary>
/// Behind a load balancer every caller arrives from the balancer's address, so without this every anonymous
/// caller would share one rate-limit bucket. Off by default: X-Forwarded-For from anyone else is a lie anyone
/// can tell, so it is believed only from the proxies named in configuration.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static WebApplicationBuilder AddMarketForwardedHeaders(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("ForwardedHeaders").Get<ForwardedHeadersSettings>() ?? new ForwardedHeadersSettings();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies: the framework's default trusts loopback, which is not a decision to make for an operator.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in settings.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline, so logging, rate limits and everything else see the client's address.</summary>
    public static WebApplication UseMarketForwardedHeaders(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        if (options.KnownProxies.Count > 0 || options.KnownIPNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }
        return app;
    }
}
