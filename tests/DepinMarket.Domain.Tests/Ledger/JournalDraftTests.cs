using System.Numerics;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Tests.Ledger;

public sealed class JournalDraftTests
{
    private static PostingDraft P(long account, string delta) => new(account, TokenDelta.Parse(delta));

    [Fact]
    public void A_balanced_journal_of_three_postings_is_accepted()
    {
        var journal = JournalDraft.Create(JournalKind.Transfer, "rental:1", false, [P(101, "-3"), P(102, "2.7"), P(1, "0.3")]);
        Assert.Equal(3, journal.Postings.Count);
        Assert.Equal(TokenDelta.Parse("-3"), journal.NetChanges()[101]);
    }

    [Fact]
    public void Postings_that_do_not_sum_to_zero_are_refused_with_the_sum()
    {
        var error = Assert.Throws<ArgumentException>(() => JournalDraft.Create(JournalKind.Transfer, "x", false, [P(101, "-3"), P(102, "2.999999999999999999")]));
        Assert.Contains("sum to -0.000000000000000001", error.Message);
    }

    [Fact]
    public void A_single_posting_is_refused() =>
        Assert.Contains("at least two", Assert.Throws<ArgumentException>(() => JournalDraft.Create(JournalKind.Transfer, "x", false, [P(101, "0")])).Message);

    [Fact]
    public void A_zero_posting_is_refused() =>
        Assert.Contains("zero", Assert.Throws<ArgumentException>(() => JournalDraft.Create(JournalKind.Transfer, "x", false, [P(101, "1"), P(102, "-1"), P(103, "0")])).Message);

    [Fact]
    public void Two_postings_to_one_ledger_account_are_refused() =>
        Assert.Contains("once", Assert.Throws<ArgumentException>(() => JournalDraft.Transfer(JournalKind.Transfer, "x", 101, 101, TokenAmount.FromWholeTokens(1))).Message);

    [Theory]
    [InlineData("")]
    [InlineData("nul\0")]
    public void A_reference_must_be_present_and_printable(string reference) =>
        Assert.Throws<ArgumentException>(() => JournalDraft.Transfer(JournalKind.Deposit, reference, 3, 101, TokenAmount.FromWholeTokens(1), external: true));

    [Fact]
    public void A_reference_longer_than_200_characters_is_refused() =>
        Assert.Throws<ArgumentException>(() => JournalDraft.Transfer(JournalKind.Deposit, new string('r', 201), 3, 101, TokenAmount.FromWholeTokens(1)));

    [Fact]
    public void The_largest_amounts_balance_without_overflow()
    {
        var max = TokenAmount.MaxValue;
        var journal = JournalDraft.Create(JournalKind.Transfer, "x", false,
            [new PostingDraft(1, TokenDelta.Credit(max)), new PostingDraft(2, TokenDelta.Credit(max)), new PostingDraft(3, TokenDelta.Debit(max)), new PostingDraft(4, TokenDelta.Debit(max))]);
        Assert.Equal(4, journal.Postings.Count);
    }
}

public sealed class ShortfallTests
{
    private static readonly Dictionary<long, (LedgerAccountKind, BigInteger)> Balances = new()
    {
        [PlatformLedgerAccounts.Chain] = (LedgerAccountKind.Chain, BigInteger.Zero),
        [101] = (LedgerAccountKind.Available, TokenAmount.FromWholeTokens(2).BaseUnits),
        [102] = (LedgerAccountKind.Settling, BigInteger.Zero),
    };

    [Fact]
    public void Taking_more_than_the_balance_reports_what_is_missing()
    {
        var shortfall = Assert.Single(Shortfall.Of(JournalDraft.Transfer(JournalKind.Withdrawal, "w", 101, 102, TokenAmount.Parse("5.5")), Balances));
        Assert.Equal(101, shortfall.LedgerAccountId);
        Assert.Equal(LedgerAccountKind.Available, shortfall.Kind);
        Assert.Equal(TokenAmount.Parse("3.5"), shortfall.Missing);
    }

    [Fact]
    public void Taking_exactly_the_balance_is_fine() =>
        Assert.Empty(Shortfall.Of(JournalDraft.Transfer(JournalKind.Withdrawal, "w", 101, 102, TokenAmount.FromWholeTokens(2)), Balances));

    [Fact]
    public void The_chain_account_may_go_below_zero() =>
        Assert.Empty(Shortfall.Of(JournalDraft.Transfer(JournalKind.Deposit, "0xabc:1", PlatformLedgerAccounts.Chain, 101, TokenAmount.FromWholeTokens(1000)), Balances));

    [Fact]
    public void The_shortfall_is_a_payment_required_domain_error_naming_the_balance()
    {
        var error = new InsufficientBalanceException(new Shortfall(101, LedgerAccountKind.Available, TokenAmount.Parse("3.5")));
        Assert.Equal(DomainErrorKind.PaymentRequired, error.Kind);
        Assert.Contains("available balance is 3.5 tokens short", error.Message);
    }
}
