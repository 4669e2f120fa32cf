namespace DepinMarket.Api.Hosting;

public static class Limits
{
    /// <summary>No request of this API needs more than a few kilobytes; anything far larger is a mistake or an attack.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    public static WebApplicationBuilder AddMarketLimits(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });
        return builder;
    }
}
