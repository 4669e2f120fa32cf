using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Rentals;

/// <summary>The unit a charge's quantity is measured in.</summary>
public enum ChargeUnit
{
    /// <summary>Compute: GPUs × seconds of active time.</summary>
    GpuSecond,
    /// <summary>Storage: gigabytes × whole hours.</summary>
    GbHour,
    /// <summary>Model: input plus output tokens of one request.</summary>
    Token,
}

/// <summary>
/// One charge of a rental: what was metered (or reported), the price applied, and how the money was divided — the
/// same numbers as the ledger journal it points to.
/// </summary>
public sealed class RentalCharge
{
    public const int MaxRequestIdLength = 100;

    public long Id { get; private set; }

    public Guid RentalId { get; private set; }

    public long JournalId { get; private set; }

    /// <summary>Time-billed: the period charged.</summary>
    public DateTimeOffset? PeriodStart { get; private set; }

    public DateTimeOffset? PeriodEnd { get; private set; }

    public long Quantity { get; private set; }

    public ChargeUnit Unit { get; private set; }

    /// <summary>Model: the provider's request id (once per rental), and the tokens reported.</summary>
    public string? RequestId { get; private set; }

    public long? InputTokens { get; private set; }

    public long? OutputTokens { get; private set; }

    public TokenAmount Usage { get; private set; }

    public TokenAmount ClientFee { get; private set; }

    public TokenAmount PlatformFee { get; private set; }

    public TokenAmount ProviderFee { get; private set; }

    public TokenAmount Burn { get; private set; }

    public TokenAmount ProviderEarnings { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    private RentalCharge()
    {
    }

    public static RentalCharge Metered(Rental rental, long journalId, DateTimeOffset from, DateTimeOffset to, ChargeSplit split, DateTimeOffset now) =>
        From(rental, journalId, split, now, c =>
        {
            c.PeriodStart = from;
            c.PeriodEnd = to;
            c.Quantity = rental.LastMeteredQuantity;
            c.Unit = rental.Kind == RentalKind.Compute ? ChargeUnit.GpuSecond : ChargeUnit.GbHour;
        });

    public static RentalCharge Reported(Rental rental, long journalId, string requestId, long inputTokens, long outputTokens, ChargeSplit split, DateTimeOffset now) =>
        From(rental, journalId, split, now, c =>
        {
            c.RequestId = requestId;
            c.InputTokens = inputTokens;
            c.OutputTokens = outputTokens;
            c.Quantity = inputTokens + outputTokens;
            c.Unit = ChargeUnit.Token;
        });

    private static RentalCharge From(Rental rental, long journalId, ChargeSplit split, DateTimeOffset now, Action<RentalCharge> measure)
    {
        var charge = new RentalCharge
        {
            RentalId = rental.Id,
            JournalId = journalId,
            Usage = split.Usage,
            ClientFee = split.ClientFee,
            PlatformFee = split.PlatformFee,
            ProviderFee = split.ProviderFee,
            Burn = split.Burn,
            ProviderEarnings = split.ProviderEarnings,
            CreatedAt = now,
        };
        measure(charge);
        return charge;
    }

    /// <summary>Whether a repeated usage report says the same as the one recorded.</summary>
    public bool SameReport(long inputTokens, long outputTokens) => InputTokens == inputTokens && OutputTokens == outputTokens;
}
