namespace DepinMarket.Domain.Ledger;

/// <summary>Why a journal moved tokens. Stored as snake_case text ("withdrawal_cancel").</summary>
public enum JournalKind
{
    /// <summary>Tokens entered the vault (reference: "txhash:logindex").</summary>
    Deposit,
    /// <summary>Available tokens set aside to be paid out (reference: "withdrawal:id").</summary>
    Withdrawal,
    /// <summary>A withdrawal cancelled before it was batched (reference: "withdrawal:id").</summary>
    WithdrawalCancel,
    /// <summary>Test tokens minted by the faucet.</summary>
    Faucet,
    /// <summary>Tokens moved between ledger accounts (rentals, fees and payouts post their own kinds later).</summary>
    Transfer,
}
