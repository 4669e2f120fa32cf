using DepinMarket.Domain.Faucet;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Features.Faucet;

/// <summary>Configuration section "Faucet".</summary>
public sealed class FaucetOptions
{
    /// <summary>Whole tokens per grant, as a decimal string.</summary>
    public string AmountTokens { get; set; } = "1000";

    /// <summary>How long an account, and a wallet, wait between grants.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often grants left in doubt are looked up in the background (<see cref="FaucetInDoubtSweep"/>); zero turns that off.</summary>
    public TimeSpan ResolveInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <param name="TransactionHash">The mint transaction; absent only while the grant is reserved and nothing is signed yet.</param>
/// <param name="Amount">Whole tokens granted.</param>
/// <param name="To">The wallet the tokens go to.</param>
/// <param name="Status">
/// "confirmed": minted, with the configured confirmations. "in_doubt": signed and sent, outcome not known yet (the
/// receipt did not come in time, or the node could not be reached); it is looked up again whenever you ask, and in the
/// background, and never replaced by a second mint. "failed": the mint reverted; nothing was minted and the cooldown is given back.
/// "reserved": the grant is being signed.
/// </param>
/// <param name="GrantedAt">When the grant was made; the cooldown counts from here.</param>
public sealed record FaucetResponse(string? TransactionHash, string Amount, string To, FaucetGrantStatus Status, DateTimeOffset GrantedAt)
{
    public static FaucetResponse From(FaucetGrant grant) =>
        new(grant.TransactionHash, new TokenAmount(grant.Amount).ToString(), grant.WalletAddress, grant.Status, grant.GrantedAt);
}
