namespace DepinMarket.Domain.Ledger;

/// <summary>
/// What a ledger account holds. The first five exist once per market account; the rest once for the platform.
/// Stored as snake_case text ("available", "chain").
/// </summary>
public enum LedgerAccountKind
{
    /// <summary>Tokens the account can spend or withdraw.</summary>
    Available,
    /// <summary>Tokens held for a rental until it settles.</summary>
    Escrow,
    /// <summary>A provider's earned, unpaid tokens.</summary>
    Earnings,
    /// <summary>Tokens a provider staked.</summary>
    Stake,
    /// <summary>Tokens on their way out to the account's wallet (a withdrawal not yet paid).</summary>
    Settling,
    /// <summary>The platform's fees.</summary>
    Fees,
    /// <summary>Tokens taken out of circulation.</summary>
    Burn,
    /// <summary>The outside world: every token that entered or left the vault. The only balance that goes below zero.</summary>
    Chain,
    /// <summary>Deposits nobody could be matched to, held until the operator assigns them.</summary>
    Suspense,
    /// <summary>The rewards pool: tokens funded for emission, held in the vault, not yet emitted (docs/decisions/0019).</summary>
    Rewards,
    /// <summary>The treasury's share of each epoch's emission.</summary>
    Treasury,
}

public static class LedgerAccountKinds
{
    /// <summary>The ledger accounts every market account has, in the order the API lists them.</summary>
    public static readonly IReadOnlyList<LedgerAccountKind> PerMarketAccount =
        [LedgerAccountKind.Available, LedgerAccountKind.Escrow, LedgerAccountKind.Earnings, LedgerAccountKind.Stake, LedgerAccountKind.Settling];

    public static bool IsPlatform(this LedgerAccountKind kind) => kind >= LedgerAccountKind.Fees;

    /// <summary>Only the chain account's balance is negative: it mirrors everything the ledger holds.</summary>
    public static bool MayGoNegative(this LedgerAccountKind kind) => kind == LedgerAccountKind.Chain;

    /// <summary>The kind as stored and shown ("available").</summary>
    public static string Text(this LedgerAccountKind kind) => kind.ToString().ToLowerInvariant();
}

/// <summary>
/// The platform's ledger accounts, inserted by migrations 0006 and 0014 with these fixed ids (the identity of ledger
/// accounts starts above them), so posting to them needs no lookup.
/// </summary>
public static class PlatformLedgerAccounts
{
    public const long Fees = 1;
    public const long Burn = 2;
    public const long Chain = 3;
    public const long Suspense = 4;

    /// <summary>The rewards pool (migration 0014).</summary>
    public const long Rewards = 5;

    /// <summary>The treasury (migration 0014).</summary>
    public const long Treasury = 6;
}
