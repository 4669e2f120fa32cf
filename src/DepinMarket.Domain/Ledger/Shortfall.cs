using System.Numerics;
using DepinMarket.Domain.Money;

namespace DepinMarket.Domain.Ledger;

/// <summary>A ledger account that a journal would take below zero, and by how much.</summary>
public sealed record Shortfall(long LedgerAccountId, LedgerAccountKind Kind, TokenAmount Missing)
{
    /// <summary>
    /// The accounts <paramref name="journal"/> would overdraw, given their balances (read under lock). The chain
    /// account may go below zero and is never short.
    /// </summary>
    public static IReadOnlyList<Shortfall> Of(JournalDraft journal, IReadOnlyDictionary<long, (LedgerAccountKind Kind, BigInteger Balance)> balances)
    {
        var shortfalls = new List<Shortfall>();
        foreach (var (id, change) in journal.NetChanges())
        {
            var (kind, balance) = balances.TryGetValue(id, out var known)
                ? known
                : throw new ArgumentException($"Ledger account {id} does not exist.", nameof(balances));
            var after = balance + change.BaseUnits;
            if (after.Sign < 0 && !kind.MayGoNegative())
            {
                shortfalls.Add(new Shortfall(id, kind, new TokenAmount(-after)));
            }
        }
        return shortfalls;
    }
}

/// <summary>A journal would take a balance below zero: a 402 saying how much is missing.</summary>
public sealed class InsufficientBalanceException(Shortfall shortfall)
    : DomainException(DomainErrorKind.PaymentRequired, "Insufficient funds.",
        $"The {shortfall.Kind.Text()} balance is {shortfall.Missing} tokens short for this request.")
{
    public Shortfall Shortfall { get; } = shortfall;
}
