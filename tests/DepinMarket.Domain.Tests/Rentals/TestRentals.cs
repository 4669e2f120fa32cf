using System.Numerics;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;

namespace DepinMarket.Domain.Tests.Rentals;

/// <summary>Rentals for the tests, and the checks every charge must pass whatever produced it.</summary>
internal static class TestRentals
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan AcceptWithin = TimeSpan.FromMinutes(15);

    /// <summary>Client and provider reservation fees of 0.25%, a platform fee of 10%, a fifth of fees burned.</summary>
    public static readonly FeeSchedule Fees = new(25, 25, 1000, 2000);

    public static TokenAmount Units(BigInteger baseUnits) => new(baseUnits);

    public static Rental Compute(long gpus = 8, long termSeconds = 3600, string pricePerGpuHour = "2.5", FeeSchedule? fees = null) =>
        Rental.ForTerm(Guid.NewGuid(), RentalKind.Compute, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), gpus, termSeconds,
            TokenAmount.Parse(pricePerGpuHour), fees ?? Fees, Now, AcceptWithin);

    public static Rental Storage(long gigabytes = 1000, long termSeconds = 30 * 24 * 3600, string pricePerGbMonth = "0.02", FeeSchedule? fees = null) =>
        Rental.ForTerm(Guid.NewGuid(), RentalKind.Storage, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), gigabytes, termSeconds,
            TokenAmount.Parse(pricePerGbMonth), fees ?? Fees, Now, AcceptWithin);

    public static Rental Model(string budget = "10", string inputPrice = "0.5", string outputPrice = "1.5", FeeSchedule? fees = null) =>
        Rental.ForBudget(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), TokenAmount.Parse(inputPrice),
            TokenAmount.Parse(outputPrice), TokenAmount.Parse(budget), fees ?? Fees, Now, AcceptWithin);

    public static Rental Of(RentalKind kind) => kind switch
    {
        RentalKind.Compute => Compute(),
        RentalKind.Storage => Storage(),
        _ => Model(),
    };

    /// <summary>
    /// One charge as the ledger will post it: no part below zero, and the escrow's debit equals what the provider,
    /// the fees account and the burn account are credited (the postings sum to zero).
    /// </summary>
    public static void AssertBalanced(ChargeSplit split, string context)
    {
        var earnings = split.Usage.BaseUnits - split.PlatformFee.BaseUnits - split.ProviderFee.BaseUnits;
        var toFees = split.ClientFee.BaseUnits + split.PlatformFee.BaseUnits + split.ProviderFee.BaseUnits - split.Burn.BaseUnits;
        Assert.True(earnings.Sign >= 0, $"provider earnings {earnings} below zero: {context}");
        Assert.True(toFees.Sign >= 0, $"fees {toFees} below zero: {context}");
        Assert.Equal(earnings, split.ProviderEarnings.BaseUnits);
        Assert.Equal(toFees, split.ToFees.BaseUnits);
        Assert.Equal(split.Usage + split.ClientFee, split.FromEscrow);
        var postings = new[]
        {
            TokenDelta.Debit(split.FromEscrow), TokenDelta.Credit(split.ProviderEarnings), TokenDelta.Credit(split.ToFees), TokenDelta.Credit(split.Burn),
        };
        Assert.True(TokenDelta.Sum(postings).IsZero, $"postings do not sum to zero: {context}");
        Assert.Equal(split.FromEscrow.IsZero, split.IsZero);
    }

    /// <summary>The parts of many charges added up, to compare with one charge of the whole usage.</summary>
    public sealed class SplitTotals
    {
        private BigInteger _usage, _client, _platform, _provider, _burn;

        public int Count { get; private set; }

        public void Add(ChargeSplit split)
        {
            _usage += split.Usage.BaseUnits;
            _client += split.ClientFee.BaseUnits;
            _platform += split.PlatformFee.BaseUnits;
            _provider += split.ProviderFee.BaseUnits;
            _burn += split.Burn.BaseUnits;
            Count++;
        }

        public void AssertEqual(ChargeSplit whole, string context)
        {
            Assert.True(_usage == whole.Usage.BaseUnits, $"usage {_usage} != {whole.Usage.BaseUnits}: {context}");
            Assert.True(_client == whole.ClientFee.BaseUnits, $"client fee {_client} != {whole.ClientFee.BaseUnits}: {context}");
            Assert.True(_platform == whole.PlatformFee.BaseUnits, $"platform fee {_platform} != {whole.PlatformFee.BaseUnits}: {context}");
            Assert.True(_provider == whole.ProviderFee.BaseUnits, $"provider fee {_provider} != {whole.ProviderFee.BaseUnits}: {context}");
            Assert.True(_burn == whole.Burn.BaseUnits, $"burn {_burn} != {whole.Burn.BaseUnits}: {context}");
        }
    }

    /// <summary>
    /// Charged, fee charged and refunded add up to what escrow took, to the base unit, and nothing is held after the end.
    /// </summary>
    public static void AssertConserved(Rental rental, string context)
    {
        Assert.True(rental.Charged.BaseUnits + rental.ChargedClientFee.BaseUnits + rental.Refunded.BaseUnits
                    == rental.Escrowed.BaseUnits + rental.EscrowedFee.BaseUnits,
            $"charged {rental.Charged.BaseUnits} + fee {rental.ChargedClientFee.BaseUnits} + refunded {rental.Refunded.BaseUnits} "
            + $"!= escrowed {rental.Escrowed.BaseUnits} + fee {rental.EscrowedFee.BaseUnits}: {context}");
        Assert.True(rental.Held.IsZero, $"still holds {rental.Held}: {context}");
    }
}
