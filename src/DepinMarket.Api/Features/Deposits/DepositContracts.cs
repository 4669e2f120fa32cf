using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Deposits;
using DepinMarket.Domain.Money;

namespace DepinMarket.Api.Features.Deposits;

/// <summary>Configuration section "Deposits".</summary>
public sealed class DepositOptions
{
    /// <summary>How long a permit from POST /v1/deposits/permit stays valid (its deadline is now plus this); also the furthest deadline POST /v1/deposits takes.</summary>
    public TimeSpan PermitLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often open relays are looked up in the background (<see cref="DepositRelaySweep"/>); zero turns that off.</summary>
    public TimeSpan ResolveInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <param name="Amount">Tokens to deposit, a decimal string of whole tokens ("250.5"), at most 18 decimals.</param>
public sealed record PermitRequest(TokenAmount Amount);

/// <param name="TypedData">
/// The EIP-712 typed data to sign, exactly as eth_signTypedData_v4 (MetaMask), ethers' signTypedData (pass domain,
/// types without EIP712Domain, message) and `cast wallet sign --data` take it. Numbers above 2^53 are decimal strings.
/// </param>
/// <param name="Deadline">The permit's deadline, unix seconds: send it back with the signature.</param>
/// <param name="Nonce">The token's nonces(owner) this permit uses; a permit is good for one deposit.</param>
public sealed record PermitResponse(PermitTypedData TypedData, long Deadline, string Nonce, TokenAmount Amount, string Owner, string Spender);

/// <param name="Amount">The amount the permit was signed for, as sent to POST /v1/deposits/permit.</param>
/// <param name="Deadline">The deadline of that permit, unix seconds (at least 30 seconds and at most Deposits:PermitLifetime from now).</param>
/// <param name="Signature">The wallet's signature of the typed data: 0x + 130 hex digits (r ‖ s ‖ v).</param>
public sealed record RelayDepositRequest(TokenAmount Amount, [property: Accepts(typeof(PermitDeadlines))] long Deadline, string Signature);

/// <param name="Status">
/// "in_doubt": signed and stored, not known whether the node took it (looked up by its hash whenever you ask and in the
/// background; never signed twice). "relayed": the node has it. "mined": confirmed on chain, the vault holds the tokens;
/// the deposit watcher credits the account from the vault's Deposited log. "reverted": nothing moved. "dropped": the
/// node lost it and it can no longer be mined (the permit expired or its nonce was used otherwise); nothing moved: ask
/// for a new permit (POST /v1/deposits/permit) and sign it.
/// </param>
/// <param name="Reference">The bytes32 the vault's Deposited event names for this account.</param>
public sealed record DepositRelayResponse(
    Guid Id, string TransactionHash, DepositRelayStatus Status, TokenAmount Amount, string Owner, string Nonce, long Deadline,
    string Reference, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt)
{
    public static DepositRelayResponse From(DepositRelay relay) => new(
        relay.Id, relay.TransactionHash, relay.Status, new TokenAmount(relay.Amount), relay.OwnerAddress,
        relay.PermitNonce.ToString(System.Globalization.CultureInfo.InvariantCulture), relay.Deadline,
        DepositReference.HexFor(relay.AccountId), relay.CreatedAt, relay.ResolvedAt);
}

public sealed record DepositRelayListResponse(IReadOnlyList<DepositRelayResponse> Items);
