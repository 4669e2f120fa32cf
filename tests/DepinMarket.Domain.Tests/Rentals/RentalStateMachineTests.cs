using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using static DepinMarket.Domain.Tests.Rentals.TestRentals;

namespace DepinMarket.Domain.Tests.Rentals;

public sealed class RentalStateMachineTests
{
    private static readonly DateTimeOffset AcceptedAt = Now.AddMinutes(5);

    private static readonly DateTimeOffset MovedAt = AcceptedAt.AddMinutes(40);

    /// <summary>Every move the state machine knows, by the name the tests use.</summary>
    private static readonly Dictionary<string, Action<Rental, DateTimeOffset>> Moves = new()
    {
        ["accept"] = (r, t) => r.Accept("{\"ssh\":\"root@10.0.0.1\"}", t),
        ["cancel"] = (r, t) => r.Cancel(t),
        ["decline"] = (r, t) => r.Decline(t),
        ["expire"] = (r, t) => r.Expire(t),
        ["complete term_ended"] = (r, t) => r.Complete(RentalEndReason.TermEnded, t),
        ["complete client_stopped"] = (r, t) => r.Complete(RentalEndReason.ClientStopped, t),
        ["complete insufficient_funds"] = (r, t) => r.Complete(RentalEndReason.InsufficientFunds, t),
        ["terminate provider_fault"] = (r, t) => r.Terminate(RentalEndReason.ProviderFault, t),
        ["terminate offer_retired"] = (r, t) => r.Terminate(RentalEndReason.OfferRetired, t),
        ["terminate insufficient_funds"] = (r, t) => r.Terminate(RentalEndReason.InsufficientFunds, t),
    };

    /// <summary>The allowed moves and where each lands (issue 8); every pair not here must be refused.</summary>
    private static readonly Dictionary<(RentalStatus From, string Move), (RentalStatus To, RentalEndReason? Reason)> Allowed = new()
    {
        [(RentalStatus.Pending, "accept")] = (RentalStatus.Active, null),
        [(RentalStatus.Pending, "cancel")] = (RentalStatus.Cancelled, RentalEndReason.ClientCancelled),
        [(RentalStatus.Pending, "decline")] = (RentalStatus.Declined, RentalEndReason.ProviderDeclined),
        [(RentalStatus.Pending, "expire")] = (RentalStatus.Expired, RentalEndReason.AcceptanceTimeout),
        [(RentalStatus.Pending, "terminate provider_fault")] = (RentalStatus.Terminated, RentalEndReason.ProviderFault),
        [(RentalStatus.Pending, "terminate offer_retired")] = (RentalStatus.Terminated, RentalEndReason.OfferRetired),
        [(RentalStatus.Pending, "terminate insufficient_funds")] = (RentalStatus.Terminated, RentalEndReason.InsufficientFunds),
        [(RentalStatus.Active, "complete term_ended")] = (RentalStatus.Completed, RentalEndReason.TermEnded),
        [(RentalStatus.Active, "complete client_stopped")] = (RentalStatus.Completed, RentalEndReason.ClientStopped),
        [(RentalStatus.Active, "complete insufficient_funds")] = (RentalStatus.Terminated, RentalEndReason.InsufficientFunds),
        [(RentalStatus.Active, "terminate provider_fault")] = (RentalStatus.Terminated, RentalEndReason.ProviderFault),
        [(RentalStatus.Active, "terminate offer_retired")] = (RentalStatus.Terminated, RentalEndReason.OfferRetired),
        [(RentalStatus.Active, "terminate insufficient_funds")] = (RentalStatus.Terminated, RentalEndReason.InsufficientFunds),
    };

    private static readonly RentalKind[] Kinds = Enum.GetValues<RentalKind>();

    public static TheoryData<RentalKind, RentalStatus, string> AllowedMoves()
    {
        var data = new TheoryData<RentalKind, RentalStatus, string>();
        foreach (var kind in Kinds)
        {
            foreach (var (from, move) in Allowed.Keys)
            {
                data.Add(kind, from, move);
            }
        }
        return data;
    }

    public static TheoryData<RentalKind, RentalStatus, string> ForbiddenMoves()
    {
        var data = new TheoryData<RentalKind, RentalStatus, string>();
        foreach (var kind in Kinds)
        {
            foreach (var from in Enum.GetValues<RentalStatus>())
            {
                foreach (var move in Moves.Keys.Where(m => !Allowed.ContainsKey((from, m))))
                {
                    data.Add(kind, from, move);
                }
            }
        }
        return data;
    }

    public static TheoryData<RentalKind, RentalStatus> EveryKindAndStatus()
    {
        var data = new TheoryData<RentalKind, RentalStatus>();
        foreach (var kind in Kinds)
        {
            foreach (var status in Enum.GetValues<RentalStatus>())
            {
                data.Add(kind, status);
            }
        }
        return data;
    }

    /// <summary>
    /// A rental of <paramref name="kind"/> brought to <paramref name="status"/>; an active one has been charged for part of
    /// its escrow (half the default compute hour), so what is held is neither all nor nothing.
    /// </summary>
    private static Rental In(RentalKind kind, RentalStatus status)
    {
        var rental = Of(kind);
        if (status == RentalStatus.Pending)
        {
            return rental;
        }
        if (status is RentalStatus.Cancelled or RentalStatus.Declined or RentalStatus.Expired)
        {
            Moves[status switch { RentalStatus.Cancelled => "cancel", RentalStatus.Declined => "decline", _ => "expire" }](rental, AcceptedAt);
            return rental;
        }
        rental.Accept("{}", AcceptedAt);
        if (rental.IsTimeBilled)
        {
            rental.MeterTo(AcceptedAt.AddMinutes(30));
        }
        else
        {
            rental.ChargeUsage(TokenAmount.Parse("3.25"));
        }
        if (status == RentalStatus.Completed)
        {
            rental.Complete(RentalEndReason.ClientStopped, AcceptedAt.AddMinutes(35));
        }
        else if (status == RentalStatus.Terminated)
        {
            rental.Terminate(RentalEndReason.ProviderFault, AcceptedAt.AddMinutes(35));
        }
        Assert.Equal(status, rental.Status);
        return rental;
    }

    /// <summary>Everything a refused call must leave as it was.</summary>
    private static object Snapshot(Rental r) => (r.Status, r.EndReason, r.EndedAt, r.StartedAt, r.EndsAt, r.MeteredUntil, r.TermSeconds,
        (r.Escrowed, r.EscrowedFee, r.Charged, r.ChargedClientFee, r.Refunded), r.Access, r.WarningsSent);

    [Theory]
    [MemberData(nameof(AllowedMoves))]
    public void Every_allowed_move_lands_in_its_status_with_its_reason_and_refunds_what_was_held_when_final(RentalKind kind, RentalStatus from, string move)
    {
        var rental = In(kind, from);
        var held = rental.Held;
        var (to, reason) = Allowed[(from, move)];

        Moves[move](rental, MovedAt);

        Assert.Equal(to, rental.Status);
        Assert.Equal(reason, rental.EndReason);
        var final = to is not (RentalStatus.Pending or RentalStatus.Active);
        Assert.Equal(!final, rental.IsOpen);
        Assert.Equal(final ? MovedAt : null, rental.EndedAt);
        Assert.Equal(final ? held : TokenAmount.Zero, rental.Refunded);
        if (final)
        {
            AssertConserved(rental, $"{kind} {from} {move}");
        }
        else
        {
            Assert.Equal(held, rental.Held);
        }
    }

    [Theory]
    [MemberData(nameof(ForbiddenMoves))]
    public void Every_forbidden_move_is_a_conflict_that_names_the_current_status_and_changes_nothing(RentalKind kind, RentalStatus from, string move)
    {
        var rental = In(kind, from);
        var before = Snapshot(rental);

        var error = Assert.Throws<DomainException>(() => Moves[move](rental, MovedAt));

        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
        Assert.Contains($"Rental {rental.Id} is {from.ToString().ToLowerInvariant()};", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(rental));
    }

    [Fact]
    public void Accepting_twice_is_refused_with_what_the_rental_is_and_must_be()
    {
        var rental = Compute();
        rental.Accept("{}", AcceptedAt);
        var error = Assert.Throws<DomainException>(() => rental.Accept("{}", MovedAt));
        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
        Assert.Equal($"Rental {rental.Id} is active; to accept a rental it must be pending.", error.Message);
        Assert.Equal(AcceptedAt, rental.StartedAt);
    }

    [Fact]
    public void Cancelling_an_active_rental_is_refused_and_the_client_stops_it_instead()
    {
        var rental = Compute();
        rental.Accept("{}", AcceptedAt);
        var error = Assert.Throws<DomainException>(() => rental.Cancel(MovedAt));
        Assert.Equal($"Rental {rental.Id} is active; to cancel a rental it must be pending.", error.Message);
        rental.Complete(RentalEndReason.ClientStopped, MovedAt);
        Assert.Equal(RentalStatus.Completed, rental.Status);
    }

    [Theory]
    [InlineData(RentalEndReason.ClientCancelled)]
    [InlineData(RentalEndReason.ProviderDeclined)]
    [InlineData(RentalEndReason.ProviderFault)]
    [InlineData(RentalEndReason.OfferRetired)]
    [InlineData(RentalEndReason.AcceptanceTimeout)]
    public void Complete_refuses_a_reason_that_does_not_complete_a_rental(RentalEndReason reason)
    {
        var rental = In(RentalKind.Compute, RentalStatus.Active);
        Assert.Throws<ArgumentException>(() => rental.Complete(reason, MovedAt));
        Assert.Equal(RentalStatus.Active, rental.Status);
    }

    [Theory]
    [InlineData(RentalEndReason.TermEnded)]
    [InlineData(RentalEndReason.ClientStopped)]
    [InlineData(RentalEndReason.ClientCancelled)]
    [InlineData(RentalEndReason.ProviderDeclined)]
    [InlineData(RentalEndReason.AcceptanceTimeout)]
    public void Terminate_refuses_a_reason_that_is_not_a_termination(RentalEndReason reason)
    {
        var rental = In(RentalKind.Compute, RentalStatus.Active);
        Assert.Throws<ArgumentException>(() => rental.Terminate(reason, MovedAt));
        Assert.Equal(RentalStatus.Active, rental.Status);
    }

    [Fact]
    public void A_new_rental_is_pending_with_its_escrow_held_and_nothing_charged_or_refunded()
    {
        var rental = Compute();
        Assert.Equal(RentalStatus.Pending, rental.Status);
        Assert.Null(rental.EndReason);
        Assert.Null(rental.EndedAt);
        Assert.Null(rental.StartedAt);
        Assert.Null(rental.EndsAt);
        Assert.Equal(Now, rental.CreatedAt);
        Assert.Equal(Now + AcceptWithin, rental.AcceptBy);
        Assert.Equal(rental.Escrowed + rental.EscrowedFee, rental.Held);
        Assert.Equal(TokenAmount.Zero, rental.Charged + rental.ChargedClientFee + rental.Refunded);
        Assert.Equal(Fees, rental.Fees);
    }

    [Fact]
    public void Accepting_starts_the_term_and_the_meter_and_attaches_the_access_details()
    {
        var rental = Compute(termSeconds: 7200);
        rental.Accept("{\"ssh\":\"root@10.0.0.1\"}", AcceptedAt);
        Assert.Equal(AcceptedAt, rental.StartedAt);
        Assert.Equal(AcceptedAt.AddHours(2), rental.EndsAt);
        Assert.Equal(AcceptedAt, rental.MeteredUntil);
        Assert.Equal("{\"ssh\":\"root@10.0.0.1\"}", rental.Access);
        Assert.False(rental.TermOverAt(AcceptedAt.AddHours(2).AddTicks(-1)));
        Assert.True(rental.TermOverAt(AcceptedAt.AddHours(2)));
    }

    [Fact]
    public void A_term_extended_while_pending_starts_in_full_on_acceptance()
    {
        var rental = Compute(termSeconds: 3600);
        rental.ExtendTerm(1800);
        rental.Accept("{}", AcceptedAt);
        Assert.Equal(5400, rental.TermSeconds);
        Assert.Equal(AcceptedAt.AddSeconds(5400), rental.EndsAt);
    }

    [Fact]
    public void A_model_rental_has_no_term_and_is_not_metered_by_time()
    {
        var rental = Model();
        rental.Accept("{\"baseUrl\":\"https://m.example\",\"key\":\"k\"}", AcceptedAt);
        Assert.Null(rental.TermSeconds);
        Assert.Null(rental.EndsAt);
        Assert.Null(rental.MeteredUntil);
        Assert.False(rental.TermOverAt(AcceptedAt.AddYears(5)));
        Assert.Throws<InvalidOperationException>(() => rental.MeterTo(MovedAt));
        Assert.Throws<InvalidOperationException>(() => rental.UsageFor(60));
    }

    [Theory]
    [MemberData(nameof(EveryKindAndStatus))]
    public void Access_details_are_replaced_only_while_active(RentalKind kind, RentalStatus status)
    {
        var rental = In(kind, status);
        if (status == RentalStatus.Active)
        {
            rental.SetAccess("{\"ssh\":\"root@10.0.0.2\"}");
            Assert.Equal("{\"ssh\":\"root@10.0.0.2\"}", rental.Access);
            return;
        }
        var error = Assert.Throws<DomainException>(() => rental.SetAccess("{}"));
        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
        Assert.Contains($"is {status.ToString().ToLowerInvariant()};", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EveryKindAndStatus))]
    public void Only_an_open_rental_is_extended_and_a_final_one_refuses_with_its_status(RentalKind kind, RentalStatus status)
    {
        var rental = In(kind, status);
        var before = Snapshot(rental);
        Action extend = kind == RentalKind.Model ? () => rental.ExtendBudget(TokenAmount.Parse("1")) : () => rental.ExtendTerm(600);
        if (rental.IsOpen)
        {
            extend();
            Assert.NotEqual(before, Snapshot(rental));
            return;
        }
        var error = Assert.Throws<DomainException>(extend);
        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
        Assert.Contains($"is {status.ToString().ToLowerInvariant()};", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(rental));
    }

    [Theory]
    [MemberData(nameof(EveryKindAndStatus))]
    public void Only_an_active_time_billed_rental_is_metered_and_only_an_active_model_rental_takes_usage(RentalKind kind, RentalStatus status)
    {
        var rental = In(kind, status);
        var before = Snapshot(rental);
        var metered = status == RentalStatus.Active && kind != RentalKind.Model;
        var takesUsage = status == RentalStatus.Active && kind == RentalKind.Model;
        if (metered)
        {
            rental.MeterTo(MovedAt.AddMinutes(5));
        }
        else
        {
            // The metering worker picks active rentals only: anything else reaching it is a bug, not a client's request.
            Assert.Throws<InvalidOperationException>(() => rental.MeterTo(MovedAt.AddMinutes(5)));
        }
        if (takesUsage)
        {
            rental.ChargeUsage(TokenAmount.Parse("0.5"));
        }
        else
        {
            var error = Assert.Throws<DomainException>(() => rental.ChargeUsage(TokenAmount.Parse("0.5")));
            Assert.Equal(DomainErrorKind.Conflict, error.Kind);
            Assert.Contains($"is {status.ToString().ToLowerInvariant()};", error.Message, StringComparison.Ordinal);
        }
        Assert.Equal(metered || takesUsage, !before.Equals(Snapshot(rental)));
    }

    [Fact]
    public void The_wrong_kind_of_extension_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Compute().ExtendBudget(TokenAmount.Parse("1")));
        Assert.Throws<ArgumentException>(() => Model().ExtendTerm(60));
        Assert.Throws<ArgumentException>(() => Compute().ExtendTerm(0));
        Assert.Throws<ArgumentException>(() => Compute().ExtendTerm(-60));
        Assert.Throws<ArgumentException>(() => Model().ExtendBudget(TokenAmount.Zero));
    }
}
