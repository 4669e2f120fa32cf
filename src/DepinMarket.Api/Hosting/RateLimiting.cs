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

    /// <summary>Anonymous sign-ups one client address may make per hour (each returns a fresh account and key).</summary>
    public int SignUpsPerHour { get; set; } = 20;
}

public static class RateLimiting
{
    /// <summary>The policy on sign-up: a few new accounts per client address and hour.</summary>
    public const string SignUpPolicy = "sign-up";

    /// <summary>
    /// One bucket per account, shared by all its keys (more keys must not mean more requests), one for the
    /// operator, and one per client address for requests without a key. Sign-up has its own hourly limit per
    /// address on top. Behind a proxy, the client address comes from X-Forwarded-For only when the proxy is
    /// configured (<see cref="ForwardedHeadersSetup"/>). A refused request is a 429 problem with Retry-After.
    /// Buckets live in each instance's memory: N instances allow N times the rate.
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
            options.AddPolicy(SignUpPolicy, context => RateLimitPartition.GetFixedWindowLimiter($"ip:{context.Connection.RemoteIpAddress}",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.SignUpsPerHour, Window = TimeSpan.FromHours(1), QueueLimit = 0 }));
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
                        Detail = rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == SignUpPolicy
                            ? $"This address has made {limits.SignUpsPerHour} sign-ups in the last hour. Retry after {retryAfter} s."
                            : $"This account has used its request allowance, all its API keys together ({limits.TokenLimit} at once, " +
                              $"{limits.TokensPerPeriod} more every {limits.ReplenishmentPeriodSeconds} s). Retry after {retryAfter} s.",
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
        // A node's heartbeats count against the node (its token's public prefix), not the address it shares with others.
        if (Features.Nodes.NodeTokenHeader.PartitionOf(context.Request) is { } node)
        {
            return node;
        }
        if (context.User.FindFirst(MarketClaims.AccountId)?.Value is { } accountId)
        {
            return $"account:{accountId}";
        }
        return context.User.IsInRole(MarketClaims.OperatorRole) ? "operator" : $"ip:{context.Connection.RemoteIpAddress}";
    }
}
