using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Features.Ledger;

/// <summary>The caller's five balances, in whole tokens.</summary>
public sealed record BalancesResponse(TokenAmount Available, TokenAmount Escrow, TokenAmount Earnings, TokenAmount Stake, TokenAmount Settling);

/// <param name="JournalId">The journal this line belongs to; its postings sum to zero.</param>
/// <param name="Account">Which of the caller's balances changed.</param>
/// <param name="Amount">The change: positive adds to the balance, negative takes from it.</param>
/// <param name="BalanceAfter">That balance right after this line.</param>
/// <param name="Counterpart">Where the tokens came from or went: another of the caller's balances, a platform account
/// ("chain" is the outside world, "fees"...), or "another account".</param>
/// <param name="Reference">What the journal records: "withdrawal:&lt;id&gt;", a chain log "txhash:logindex"...</param>
public sealed record StatementLine(long JournalId, JournalKind Kind, LedgerAccountKind Account, TokenDelta Amount,
    TokenAmount BalanceAfter, string Counterpart, string Reference, DateTimeOffset At);

/// <param name="NextCursor">Pass as "cursor" for the next (older) page; absent on the last page.</param>
public sealed record StatementPage(IReadOnlyList<StatementLine> Lines, string? NextCursor);
