namespace DepinMarket.Agent;

public enum ApiOutcome
{
    /// <summary>A 2xx with a body the agent read.</summary>
    Ok,
    /// <summary>
    /// Worth trying again later: no connection, a timeout, a 5xx, a 408 or a 429 (with the server's Retry-After when
    /// it gave one), or a 2xx the agent could not read.
    /// </summary>
    Transient,
    /// <summary>Any other 4xx: the API understood and said no; <see cref="ApiResult{T}.Problem"/> says why.</summary>
    Refused,
}

/// <summary>What one call to the node API came to, without exceptions: the loop decides what each case means.</summary>
public sealed record ApiResult<T>(ApiOutcome Outcome, T? Value, ApiProblem? Problem, string? Failure, TimeSpan? RetryAfter)
    where T : class
{
    public static ApiResult<T> Ok(T value) => new(ApiOutcome.Ok, value, null, null, null);

    public static ApiResult<T> Transient(string failure, TimeSpan? retryAfter = null) => new(ApiOutcome.Transient, null, null, failure, retryAfter);

    public static ApiResult<T> Refused(ApiProblem problem) => new(ApiOutcome.Refused, null, problem, problem.ToString(), null);

    public int? Status => Problem?.Status;
}
