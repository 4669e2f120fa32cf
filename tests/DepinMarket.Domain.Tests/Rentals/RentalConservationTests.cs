using System.Numerics;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using DepinMarket.Domain.Tests.Money;
using static DepinMarket.Domain.Tests.Rentals.TestRentals;

namespace DepinMarket.Domain.Tests.Rentals;

/// <summary>
/// Random rentals over the whole range of prices and fee schedules, metered, extended and ended at random points:
/// no base unit is created or lost, every charge is a balanced set of postings, and many charges add up to one
/// charge of the whole usage. A failure names its seed and case, and is reproduced by them.
/// </summary>
public sealed class RentalConservationTests
{
    private const int Cases = 3000;

    private static readonly string[] PendingEnds = ["cancel", "decline", "expire", "terminate"];

    /// <summary>Escrow and its fee must fit one amount together; a half of the range leaves room for a fee of 100%.</summary>
    private static readonly BigInteger EscrowCap = RandomTokens.Max / 2;

    [Fact]
    public void Time_billed_rentals_charge_and_refund_exactly_what_was_escrowed()
    {
        var random = new RandomTokens(90);
        int meteredToEnd = 0, stoppedWithRefund = 0, extended = 0, endedPending = 0, refusedAsNothing = 0, charges = 0;
        for (var i = 0; i < Cases; i++)
        {
            var context = $"seed 90 case {i}";
            var kind = random.Coin() ? RentalKind.Compute : RentalKind.Storage;
            var fees = RandomFees.Next(random);
            long quantity = random.Next(0, 3) switch { 0 => 1, 1 => random.Next(1, 65), _ => random.Next(1, int.MaxValue) };
            long term = random.Next(0, 4) switch
            {
                0 => random.Next(1, 120),
                1 => random.Next(1, 3 * 3600),
                2 => random.Next(1, 60 * 24 * 3600),
                _ => random.Next(1, 10 * 365 * 24 * 3600),
            };
            // Extensions may add up to three terms more; the price is capped so the longest term's escrow fits.
            var extensionSeconds = random.Coin() ? 0 : random.Next(1, (int)Math.Min(int.MaxValue / 4, term) + 1) * 3L;
            var price = Price(random, kind, quantity, term + extensionSeconds);
            var expected = Usage(kind, price, quantity, term);
            context += $" ({kind} {quantity} × {term} s at {price.BaseUnits}, {fees})";
            if (expected.IsZero)
            {
                Assert.Throws<ValidationFailedException>(() => Open(kind, quantity, term, price, fees));
                refusedAsNothing++;
                continue;
            }

            var rental = Open(kind, quantity, term, price, fees);
            Assert.Equal(expected, rental.Escrowed);
            var escrowed = rental.Escrowed.BaseUnits;
            var escrowedFee = rental.EscrowedFee.BaseUnits;
            var now = Now;
            var totals = new SplitTotals();
            var warnings = new WarningWatch();

            if (extensionSeconds > 0 && random.Coin())
            {
                var seconds = random.Next(1, (int)Math.Min(int.MaxValue, extensionSeconds) + 1);
                Extend(rental, seconds, ref escrowed, ref escrowedFee, context);
                extensionSeconds -= seconds;
            }
            if (random.Next(0, 10) == 0)
            {
                EndPending(rental, random, now, context);
                endedPending++;
                continue;
            }

            now += TimeSpan.FromTicks(random.Next(0, (int)AcceptWithin.Ticks));
            rental.Accept("{}", now);
            var startedAt = now;
            for (var step = random.Next(0, 16); step > 0; step--)
            {
                if (extensionSeconds > 0 && random.Next(0, 5) == 0)
                {
                    var seconds = random.Next(1, (int)Math.Min(int.MaxValue, extensionSeconds) + 1);
                    Extend(rental, seconds, ref escrowed, ref escrowedFee, context);
                    extensionSeconds -= seconds;
                    extended++;
                    continue;
                }
                now += Advance(random, rental, now);
                var split = rental.MeterTo(now);
                charges++;
                Record(rental, split, totals, warnings, $"{context} step {step} at {now:O}");
            }

            var meterToEnd = random.Next(0, 4) == 0;
            if (meterToEnd)
            {
                now = rental.EndsAt!.Value + TimeSpan.FromTicks(random.Coin() ? 0 : random.Next(0, int.MaxValue));
            }
            if (meterToEnd || random.Coin())
            {
                Record(rental, rental.MeterTo(now), totals, warnings, $"{context} last charge at {now:O}");
                charges++;
            }
            Assert.Equal(rental.UsageFor(WholeSeconds(rental.MeteredUntil!.Value - startedAt)), rental.Charged);
            End(rental, random, now);

            Assert.True(rental.Escrowed.BaseUnits == escrowed && rental.EscrowedFee.BaseUnits == escrowedFee, $"extensions: {context}");
            Assert.Equal(rental.UsageFor(rental.TermSeconds!.Value), rental.Escrowed);
            AssertConserved(rental, context);
            totals.AssertEqual(ChargeSplit.Cumulative(rental.Fees, rental.Charged), context);
            Assert.Equal(Fees(rental).ClientFeeOn(rental.Charged), rental.ChargedClientFee);
            if (rental.MeteredUntil == rental.EndsAt)
            {
                Assert.Equal(rental.Escrowed, rental.Charged);
                Assert.Equal(rental.EscrowedFee, rental.ChargedClientFee);
                Assert.True(rental.Refunded.IsZero, $"refunded {rental.Refunded} after the whole term: {context}");
                meteredToEnd++;
            }
            else if (!rental.Refunded.IsZero)
            {
                stoppedWithRefund++;
            }
        }
        // Not vacuous: each path is taken often. Seed 90 gives 1256 metered to the end, 914 refunded, 1685 extensions,
        // 238 ended pending, 574 refused as buying nothing and 16338 charges; the bars leave a wide margin.
        Assert.True(meteredToEnd > Cases / 5, $"metered to the end: {meteredToEnd}");
        Assert.True(stoppedWithRefund > Cases / 5, $"stopped early with a refund: {stoppedWithRefund}");
        Assert.True(extended > Cases / 5, $"extended: {extended}");
        Assert.True(endedPending > Cases / 20, $"ended while pending: {endedPending}");
        Assert.True(refusedAsNothing < Cases / 4, $"refused as buying nothing: {refusedAsNothing}");
        Assert.True(charges > Cases * 4, $"charges: {charges}");
    }

    [Fact]
    public void Model_rentals_charge_at_most_their_budget_and_refund_the_rest_exactly()
    {
        var random = new RandomTokens(91);
        int spent = 0, stoppedWithRefund = 0, extended = 0, endedPending = 0, capped = 0, charges = 0;
        for (var i = 0; i < Cases; i++)
        {
            var fees = RandomFees.Next(random);
            var budget = Budget(random, EscrowCap);
            var inputPrice = new TokenAmount(random.BaseUnitsUpTo(RandomTokens.Max / 4));
            var outputPrice = new TokenAmount(random.BaseUnitsUpTo(RandomTokens.Max / 4));
            var context = $"seed 91 case {i} (budget {budget.BaseUnits}, {fees})";
            var rental = Rental.ForBudget(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), inputPrice, outputPrice, budget, fees, Now, AcceptWithin);
            var escrowed = rental.Escrowed.BaseUnits;
            var escrowedFee = rental.EscrowedFee.BaseUnits;
            var totals = new SplitTotals();
            var warnings = new WarningWatch();
            if (random.Next(0, 4) == 0)
            {
                ExtendBudget(rental, random, ref escrowed, ref escrowedFee, context);
            }
            if (random.Next(0, 10) == 0)
            {
                EndPending(rental, random, Now, context);
                endedPending++;
                continue;
            }

            rental.Accept("{}", Now);
            var budgetSpent = false;
            for (var step = random.Next(0, 20); step > 0; step--)
            {
                if (random.Next(0, 6) == 0)
                {
                    ExtendBudget(rental, random, ref escrowed, ref escrowedFee, context);
                    extended++;
                    continue;
                }
                var left = rental.UsageLeft;
                var cost = Cost(random, rental, left);
                var (split, nowSpent) = rental.ChargeUsage(cost);
                charges++;
                Assert.Equal(cost < left ? cost : left, split.Usage);
                capped += cost > left ? 1 : 0;
                Assert.Equal(rental.UsageLeft.IsZero, nowSpent);
                Assert.Equal(cost >= left, nowSpent);
                budgetSpent = nowSpent;
                Record(rental, split, totals, warnings, $"{context} step {step}");
            }

            if (budgetSpent)
            {
                rental.Complete(RentalEndReason.InsufficientFunds, Now.AddHours(1));
                Assert.Equal(RentalStatus.Terminated, rental.Status);
            }
            else
            {
                End(rental, random, Now.AddHours(1));
            }

            Assert.True(rental.Escrowed.BaseUnits == escrowed && rental.EscrowedFee.BaseUnits == escrowedFee, $"extensions: {context}");
            AssertConserved(rental, context);
            totals.AssertEqual(ChargeSplit.Cumulative(rental.Fees, rental.Charged), context);
            if (rental.UsageLeft.IsZero)
            {
                Assert.Equal(rental.EscrowedFee, rental.ChargedClientFee);
                Assert.True(rental.Refunded.IsZero, $"refunded {rental.Refunded} of a spent budget: {context}");
                spent++;
            }
            else
            {
                Assert.False(rental.Refunded.IsZero, $"nothing refunded of {rental.UsageLeft} left: {context}");
                stoppedWithRefund++;
            }
        }
        // Seed 91 gives 1918 spent, 752 refunded, 4234 extensions, 330 ended pending, 9306 capped reports, 21290 charges.
        Assert.True(spent > Cases / 5, $"spent: {spent}");
        Assert.True(stoppedWithRefund > Cases / 6, $"stopped with a refund: {stoppedWithRefund}");
        Assert.True(extended > Cases / 4, $"extended: {extended}");
        Assert.True(endedPending > Cases / 20, $"ended while pending: {endedPending}");
        Assert.True(capped > Cases / 10, $"capped at the budget: {capped}");
        Assert.True(charges > Cases * 4, $"charges: {charges}");
    }

    private static FeeSchedule Fees(Rental rental) => rental.Fees;

    private static Rental Open(RentalKind kind, long quantity, long term, TokenAmount price, FeeSchedule fees) =>
        Rental.ForTerm(Guid.NewGuid(), kind, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), quantity, term, price, fees, Now, AcceptWithin);

    private static TokenAmount Usage(RentalKind kind, TokenAmount price, long quantity, long seconds) => kind == RentalKind.Compute
        ? RentalPricing.Compute(price, quantity, seconds)
        : RentalPricing.Storage(price, quantity, seconds);

    private static long WholeSeconds(TimeSpan elapsed) => elapsed.Ticks / TimeSpan.TicksPerSecond;

    /// <summary>
    /// A price from one base unit to 2^256-1, the edges common, capped so that <paramref name="seconds"/> of
    /// <paramref name="quantity"/> stays within <see cref="EscrowCap"/>.
    /// </summary>
    private static TokenAmount Price(RandomTokens random, RentalKind kind, long quantity, long seconds)
    {
        BigInteger cap = kind == RentalKind.Compute
            ? EscrowCap * RentalPricing.SecondsPerHour / (quantity * (BigInteger)seconds)
            : EscrowCap * RentalPricing.HoursPerMonth / (quantity * (BigInteger)Math.Max(1, seconds / RentalPricing.SecondsPerHour));
        cap = BigInteger.Min(cap, RandomTokens.Max);
        var price = random.Next(0, 6) switch
        {
            0 => BigInteger.One,
            1 => cap,
            2 => BigInteger.One + random.BaseUnitsUpTo(1000),
            _ => BigInteger.One + random.BaseUnitsUpTo(cap - 1),
        };
        return new TokenAmount(price);
    }

    private static TokenAmount Budget(RandomTokens random, BigInteger cap) => new(random.Next(0, 5) switch
    {
        0 => BigInteger.One,
        1 => cap,
        2 => BigInteger.One + random.BaseUnitsUpTo(1000),
        _ => BigInteger.One + random.BaseUnitsUpTo(cap - 1),
    });

    /// <summary>How far the clock moves before the next metering tick: nothing, a fraction of a second, or to beyond the term's end.</summary>
    private static TimeSpan Advance(RandomTokens random, Rental rental, DateTimeOffset now)
    {
        var left = rental.EndsAt!.Value - now;
        return random.Next(0, 24) switch
        {
            0 or 1 => TimeSpan.Zero,
            2 or 3 => TimeSpan.FromTicks(random.Next(1, (int)TimeSpan.TicksPerSecond)),
            4 or 5 or 6 => TimeSpan.FromSeconds(random.Next(1, 120)) + TimeSpan.FromTicks(random.Next(0, (int)TimeSpan.TicksPerSecond)),
            7 or 8 => TimeSpan.FromMinutes(random.Next(1, 600)),
            9 or 10 or 11 => left > TimeSpan.Zero ? left / random.Next(3, 40) : TimeSpan.FromSeconds(1),
            // To the end of the term give or take two seconds, or far beyond it.
            12 => left + TimeSpan.FromSeconds(random.Next(-2, 3)) is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
            13 => TimeSpan.FromSeconds(random.Next(1, int.MaxValue)),
            _ => TimeSpan.FromTicks(random.Next(0, int.MaxValue)),
        };
    }

    /// <summary>A usage report's cost: priced tokens, nothing, one base unit, all that is left, or more.</summary>
    private static TokenAmount Cost(RandomTokens random, Rental rental, TokenAmount left) => random.Next(0, 8) switch
    {
        0 => RentalPricing.Model(rental.UnitPrice, rental.OutputUnitPrice!.Value, random.Next(0, 1_000_001), random.Next(0, 1_000_001)),
        1 => TokenAmount.Zero,
        2 => new TokenAmount(1),
        3 => left,
        4 => left + new TokenAmount(1 + random.BaseUnitsUpTo(1000)),
        5 => TokenAmount.MaxValue,
        _ => new TokenAmount(random.BaseUnitsUpTo(left.BaseUnits)),
    };

    private static void Extend(Rental rental, long seconds, ref BigInteger escrowed, ref BigInteger escrowedFee, string context)
    {
        var term = rental.TermSeconds!.Value;
        var endsAt = rental.EndsAt;
        var (usage, fee) = rental.ExtendTerm(seconds);
        escrowed += usage.BaseUnits;
        escrowedFee += fee.BaseUnits;
        Assert.Equal(term + seconds, rental.TermSeconds);
        Assert.Equal(endsAt?.AddSeconds(seconds), rental.EndsAt);
        Assert.True(rental.Escrowed.BaseUnits == escrowed, $"extension by {seconds} s: {context}");
    }

    private static void ExtendBudget(Rental rental, RandomTokens random, ref BigInteger escrowed, ref BigInteger escrowedFee, string context)
    {
        if (rental.Escrowed.BaseUnits >= EscrowCap)
        {
            return;
        }
        var more = Budget(random, EscrowCap - rental.Escrowed.BaseUnits);
        var (usage, fee) = rental.ExtendBudget(more);
        Assert.Equal(more, usage);
        escrowed += usage.BaseUnits;
        escrowedFee += fee.BaseUnits;
        Assert.True(rental.EscrowedFee == rental.Fees.ClientFeeOn(rental.Escrowed), $"fee on the extended budget: {context}");
    }

    private static void Record(Rental rental, ChargeSplit split, SplitTotals totals, WarningWatch warnings, string context)
    {
        AssertBalanced(split, context);
        totals.Add(split);
        Assert.True(rental.Charged <= rental.Escrowed, $"charged {rental.Charged} above escrowed {rental.Escrowed}: {context}");
        Assert.True(rental.ChargedClientFee <= rental.EscrowedFee, $"fee charged above escrowed: {context}");
        Assert.Equal(rental.Fees.ClientFeeOn(rental.Charged), rental.ChargedClientFee);
        warnings.Check(rental, context);
    }

    /// <summary>Ends a pending rental one of the four ways; nothing was charged, so all of the escrow comes back.</summary>
    private static void EndPending(Rental rental, RandomTokens random, DateTimeOffset now, string context)
    {
        switch (PendingEnds[random.Next(0, PendingEnds.Length)])
        {
            case "cancel": rental.Cancel(now); break;
            case "decline": rental.Decline(now); break;
            case "expire": rental.Expire(now); break;
            default: rental.Terminate(RentalEndReason.OfferRetired, now); break;
        }
        Assert.True(rental.Charged.IsZero);
        Assert.Equal(rental.Escrowed + rental.EscrowedFee, rental.Refunded);
        AssertConserved(rental, context);
    }

    private static void End(Rental rental, RandomTokens random, DateTimeOffset now)
    {
        switch (random.Next(0, 6))
        {
            case 0: rental.Complete(RentalEndReason.TermEnded, now); break;
            case 1: rental.Complete(RentalEndReason.ClientStopped, now); break;
            case 2: rental.Complete(RentalEndReason.InsufficientFunds, now); break;
            case 3: rental.Terminate(RentalEndReason.ProviderFault, now); break;
            case 4: rental.Terminate(RentalEndReason.OfferRetired, now); break;
            default: rental.Terminate(RentalEndReason.InsufficientFunds, now); break;
        }
        Assert.False(rental.IsOpen);
        Assert.Equal(now, rental.EndedAt);
    }

    /// <summary>
    /// Takes the due warning after each charge: 20 before 5, each at most once, and a warning is due exactly when
    /// the budget left has fallen to a percentage not yet announced (the lowest such one is returned). An extension
    /// starts the sequence again (a level it lifted the rental above is due again).
    /// </summary>
    private sealed class WarningWatch
    {
        private readonly List<int> _taken = [];
        private TokenAmount? _escrowed;

        public void Check(Rental rental, string context)
        {
            if (_escrowed != rental.Escrowed)
            {
                _taken.Clear();
                _escrowed = rental.Escrowed;
            }
            var sentBefore = rental.WarningsSent;
            var due = rental.TakeDueWarning();
            var crossed = Rental.WarningPercents.Skip(sentBefore)
                .TakeWhile(p => rental.UsageLeft.BaseUnits * 100 <= rental.Escrowed.BaseUnits * p).Count();
            Assert.Equal(sentBefore + crossed, rental.WarningsSent);
            Assert.Equal(crossed == 0 ? null : Rental.WarningPercents[sentBefore + crossed - 1], due);
            if (due is { } percent)
            {
                _taken.Add(percent);
            }
            // Several crossed at once announce only the last; so what is announced only ever goes down, each once.
            Assert.True(_taken.Zip(_taken.Skip(1)).All(pair => pair.First > pair.Second), $"warnings {string.Join(",", _taken)}: {context}");
            Assert.Null(rental.TakeDueWarning());
        }
    }
}
