using DepinMarket.Domain.Money;
using DepinMarket.Domain.Stakes;

namespace DepinMarket.Api.Features.Stakes;

/// <param name="Amount">Tokens, as a decimal string ("400"), from the account's available balance.</param>
public sealed record StakeRequest(TokenAmount Amount);

/// <param name="Staked">All of the stake, cooling unstakes included: it backs offers and can be slashed.</param>
/// <param name="Bonded">What stays staked once the cooling unstakes are released.</param>
/// <param name="Required">What the active offers need staked (Stakes:PerGpu, PerStorageTb, PerModelOffer).</param>
/// <param name="Unstakable">What can be unstaked without leaving active offers uncovered after the cooldown.</param>
public sealed record StakeResponse(TokenAmount Staked, TokenAmount Bonded, TokenAmount Required, TokenAmount Unstakable,
    IReadOnlyList<UnbondingResponse> Cooling, StakeMinimums Minimums);

public sealed record UnbondingResponse(Guid Id, TokenAmount Amount, DateTimeOffset RequestedAt, DateTimeOffset ReleasesAt)
{
    public static UnbondingResponse From(StakeUnbonding u) => new(u.Id, u.Amount, u.RequestedAt, u.ReleasesAt);
}

public sealed record StakeMinimums(TokenAmount PerGpu, TokenAmount PerStorageTb, TokenAmount PerModelOffer, long CooldownSeconds);

/// <summary>One slash, as the provider who paid it and the client it compensated see it.</summary>
/// <param name="Evidence">What the fault was (JSON): the outage interval, the storage challenge.</param>
public sealed record SlashResponse(Guid Id, Guid ProviderId, SlashReason Reason, Guid? RentalId, Guid? ClientId, TokenAmount Amount,
    TokenAmount ToClient, TokenAmount ToBurn, TokenAmount Shortfall, long? JournalId, string Evidence, DateTimeOffset CreatedAt)
{
    public static SlashResponse From(Slash s) =>
        new(s.Id, s.ProviderId, s.Reason, s.RentalId, s.ClientId, s.Amount, s.ToClient, s.ToBurn, s.Shortfall, s.JournalId, s.Evidence, s.CreatedAt);
}

public sealed record SlashPage(IReadOnlyList<SlashResponse> Items, string? NextCursor);
