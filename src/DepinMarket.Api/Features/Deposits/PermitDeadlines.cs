using DepinMarket.Api.Hosting;
using DepinMarket.Domain;
using Microsoft.Extensions.Options;

namespace DepinMarket.Api.Features.Deposits;

/// <summary>
/// The permit deadlines POST /v1/deposits takes, in unix seconds: at least <see cref="Margin"/> from now (time for the
/// relay to be mined) and at most Deposits:PermitLifetime from now (no further out than POST /v1/deposits/permit hands
/// out). The rule and the words that state it live here together, so the 400 for a deadline out of range and the one
/// for a value JSON cannot read as a whole number (beyond 64 bits, a fraction, a string) say the same range.
/// </summary>
internal sealed class PermitDeadlines(TimeProvider clock, IOptions<DepositOptions> options) : IAcceptedValues
{
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

    public string Accepted
    {
        get
        {
            var (earliest, latest) = Range(clock.Now());
            return $"the permit's deadline in unix seconds (whole seconds since 1970-01-01T00:00:00Z), now from {earliest} to {latest} " +
                $"(at least {Margin.TotalSeconds:0} seconds and at most {options.Value.PermitLifetime} from now): the deadline POST /v1/deposits/permit returned";
        }
    }

    /// <exception cref="ValidationFailedException">The deadline is outside the range, naming "deadline".</exception>
    public void Require(long deadline)
    {
        var now = clock.Now();
        var (earliest, latest) = Range(now);
        if (deadline < earliest)
        {
            throw ValidationFailedException.For("deadline",
                $"has passed or is less than {Margin.TotalSeconds:0} seconds away ({deadline}, now {now.ToUnixTimeSeconds()}): ask for a new permit. It must be {Accepted}.");
        }
        if (deadline > latest)
        {
            throw ValidationFailedException.For("deadline", $"is more than {options.Value.PermitLifetime} away ({deadline}). It must be {Accepted}.");
        }
    }

    private (long Earliest, long Latest) Range(DateTimeOffset now) =>
        ((now + Margin).ToUnixTimeSeconds(), (now + options.Value.PermitLifetime).ToUnixTimeSeconds());
}
