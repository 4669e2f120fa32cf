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
    /// <summary>A rental's price and client fee moved from available to escrow, on creation or extension (reference: "rental:id").</summary>
    RentalEscrow,
    /// <summary>A charge from a rental's escrow to the provider's earnings, fees and burn (reference: "rental:id:charge").</summary>
    RentalCharge,
    /// <summary>What a rental's escrow still held when it ended, back to available (reference: "rental:id").</summary>
    RentalRefund,
    /// <summary>A provider's earnings into a payout batch: earnings to settling (reference: "payout:id").</summary>
    PayoutSettling,
    /// <summary>A confirmed payout batch: settling to the chain account (reference: "settlement:batch id").</summary>
    Payout,
    /// <summary>A reverted payout batch: earnings back from settling (reference: "settlement:batch id").</summary>
    PayoutReturn,
    /// <summary>A confirmed burn: the burn account to the chain account, out of the supply (reference: "settlement:batch id").</summary>
    FeeBurn,
    /// <summary>An epoch's emission: the rewards pool to providers' earnings and the treasury (reference: "reward-epoch:n", posted once).</summary>
    Reward,
    /// <summary>An account's available tokens given to the rewards pool (reference: "reward-funding:id").</summary>
    RewardFunding,
    /// <summary>A provider's available tokens staked behind its offers: available to stake (reference: "stake:id").</summary>
    Stake,
    /// <summary>Stake whose cooldown ended, back to available (reference: "unstake:unbonding id").</summary>
    Unstake,
    /// <summary>Stake taken for a provable fault: stake to the harmed client's available and to burn (reference: "slash:id").</summary>
    Slash,
}
