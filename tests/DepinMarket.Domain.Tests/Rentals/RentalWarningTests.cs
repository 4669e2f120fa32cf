using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using static DepinMarket.Domain.Tests.Rentals.TestRentals;

namespace DepinMarket.Domain.Tests.Rentals;

public sealed class RentalWarningTests
{
    /// <summary>An accepted model rental with a budget of 100 base units, so base units left are percent left.</summary>
    private static Rental Budget100()
    {
        var rental = Model(budget: "0.0000000000000001");
        Assert.Equal(Units(100), rental.Escrowed);
        rental.Accept("{}", Now);
        return rental;
    }

    [Fact]
    public void The_warnings_are_20_and_5_percent_in_that_order() => Assert.Equal([20, 5], Rental.WarningPercents);

    [Fact]
    public void Each_warning_is_due_once_when_the_budget_left_falls_to_it_and_never_again()
    {
        var rental = Budget100();
        Assert.Null(rental.TakeDueWarning());
        rental.ChargeUsage(Units(79));
        Assert.Null(rental.TakeDueWarning());
        rental.ChargeUsage(Units(1));
        Assert.Equal(20, rental.TakeDueWarning());
        Assert.Equal(1, rental.WarningsSent);
        Assert.Null(rental.TakeDueWarning());
        rental.ChargeUsage(Units(14));
        Assert.Null(rental.TakeDueWarning());
        rental.ChargeUsage(Units(1));
        Assert.Equal(5, rental.TakeDueWarning());
        Assert.Equal(2, rental.WarningsSent);
        Assert.Null(rental.TakeDueWarning());
        var (_, spent) = rental.ChargeUsage(Units(5));
        Assert.True(spent);
        Assert.Null(rental.TakeDueWarning());
        Assert.Equal(2, rental.WarningsSent);
    }

    [Fact]
    public void A_charge_that_crosses_both_warnings_at_once_returns_the_last_and_counts_both()
    {
        var rental = Budget100();
        rental.ChargeUsage(Units(96));
        Assert.Equal(5, rental.TakeDueWarning());
        Assert.Equal(2, rental.WarningsSent);
        Assert.Null(rental.TakeDueWarning());
    }

    [Fact]
    public void A_charge_that_spends_the_whole_budget_at_once_returns_the_last_warning_once()
    {
        var rental = Budget100();
        rental.ChargeUsage(Units(1000));
        Assert.Equal(5, rental.TakeDueWarning());
        Assert.Null(rental.TakeDueWarning());
    }

    [Fact]
    public void Nothing_is_due_while_the_budget_left_is_above_20_percent_by_a_base_unit()
    {
        var rental = Model(budget: "1");
        rental.Accept("{}", Now);
        // 20% of 1 token left plus one base unit.
        rental.ChargeUsage(TokenAmount.Parse("0.799999999999999999"));
        Assert.Null(rental.TakeDueWarning());
        rental.ChargeUsage(Units(1));
        Assert.Equal(20, rental.TakeDueWarning());
    }

    [Fact]
    public void An_extension_that_lifts_the_budget_left_above_a_level_makes_its_warning_due_again()
    {
        var rental = Budget100();
        rental.ChargeUsage(Units(85));
        Assert.Equal(20, rental.TakeDueWarning());
        rental.ExtendBudget(Units(900));
        Assert.Equal(0, rental.WarningsSent);
        rental.ChargeUsage(Units(800));
        // 115 of 1000 left: 20% is due again, then 5%.
        Assert.Equal(20, rental.TakeDueWarning());
        Assert.Null(rental.TakeDueWarning());
        rental.ChargeUsage(Units(65));
        Assert.Equal(5, rental.TakeDueWarning());
    }

    [Fact]
    public void An_extension_too_small_to_lift_the_budget_left_above_a_level_does_not_repeat_its_warning()
    {
        var rental = Budget100();
        rental.ChargeUsage(Units(96));
        Assert.Equal(5, rental.TakeDueWarning());
        // 4 + 10 of 110 left: above 5% again, still below 20%.
        rental.ExtendBudget(Units(10));
        Assert.Equal(1, rental.WarningsSent);
        Assert.Null(rental.TakeDueWarning());
        rental.ChargeUsage(Units(9));
        Assert.Equal(5, rental.TakeDueWarning());
    }

    [Fact]
    public void A_time_billed_rental_warns_as_its_paid_term_runs_down()
    {
        var rental = Compute(gpus: 1, termSeconds: 3600, pricePerGpuHour: "1");
        rental.Accept("{}", Now);
        rental.MeterTo(Now.AddSeconds(2879));
        Assert.Null(rental.TakeDueWarning());
        rental.MeterTo(Now.AddSeconds(2880));
        Assert.Equal(20, rental.TakeDueWarning());
        rental.MeterTo(Now.AddSeconds(3420));
        Assert.Equal(5, rental.TakeDueWarning());
        rental.MeterTo(Now.AddSeconds(3600));
        Assert.Null(rental.TakeDueWarning());
    }
}
