using DepinMarket.Domain.Ledger;

namespace DepinMarket.Api.Features.Ledger;

/// <summary>Reads a ledger account kind as raw SQL returns it ("available").</summary>
internal static class LedgerAccountKindText
{
    public static LedgerAccountKind Parse(string text) => Enum.Parse<LedgerAccountKind>(text, ignoreCase: true);
}
