using System.Globalization;
using System.Threading.RateLimiting;
using DepinMarket.Api.Auth;
using Microsoft.AspNetCore.RateLimiting;

namespace DepinMarket.Api.Hosting;

/// <summary>Token-bucket limits, from configuration section "RateLimiting".</summary>
public sealed class RateLimitOptions
{
    /// <summary>Burst size: requests a caller may make at once.</summary>
    public int TokenLimit { get; set; } = 100;

    /// <summary>Tokens added back every <see cref="ReplenishmentPeriodSeconds"/>.</summary>
    public int TokensPerPeriod { get; set; } = 50;

    public double ReplenishmentPeriodSeconds { get; set; } = 1;
}

public static class RateLimiting
{
    /// <summary>
    /// One bucket per API key (so one noisy script cannot starve an account's other keys), and one per
    /// client IP for requests without a key (sign-up). A refused request is a 429 problem with Retry-After.
    /// </summary>
    public static WebApplicationBuilder AddMarketRateLimits(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection("RateLimiting").Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.TokenLimit,
                    TokensPerPeriod = limits.TokensPerPeriod,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(limits.ReplenishmentPeriodSeconds),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : (int)Math.Ceiling(limits.ReplenishmentPeriodSeconds);
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = rejected.HttpContext,
                    ProblemDetails =
                    {
                        Status = 429,
                        Title = "Too many requests.",
                        Detail = $"This API key has used its request allowance ({limits.TokenLimit} at once, {limits.TokensPerPeriod} more every {limits.ReplenishmentPeriodSeconds} s). Retry after {retryAfter} s.",
                    },
                });
            };
        });
        return builder;
    }

    private static string PartitionKey(HttpContext context)
    {
        // Health probes are never limited: an orchestrator must always learn whether we are alive.
        if (context.Request.Path.StartsWithSegments("/health"))
        {
            return "health";
        }
        var keyId = context.User.FindFirst(MarketClaims.KeyId)?.Value;
        return keyId is not null ? $"key:{keyId}" : $"ip:{context.Connection.RemoteIpAddress}";
    }
}
