namespace DepinMarket.Domain.Rentals;

/// <summary>
/// Where a rental is in its life (see <see cref="Rental"/> for the moves). Only <see cref="Pending"/> and
/// <see cref="Active"/> hold escrow and capacity; every other status is final.
/// </summary>
public enum RentalStatus
{
    /// <summary>Escrowed and capacity reserved; waiting for the provider to accept.</summary>
    Pending,
    /// <summary>Accepted: running and metered.</summary>
    Active,
    /// <summary>Ended normally: the term ran out, the client stopped it, or the budget was spent.</summary>
    Completed,
    /// <summary>The client withdrew it before the provider accepted.</summary>
    Cancelled,
    /// <summary>The provider refused it.</summary>
    Declined,
    /// <summary>Ended early for a coded reason (provider fault, insufficient funds, offer retired).</summary>
    Terminated,
    /// <summary>Not accepted in time.</summary>
    Expired,
}

/// <summary>
/// Why a rental ended, as a stable code (Akash codes its lease closes the same way): integrators branch on it.
/// Stored and shown snake_case ("client_stopped").
/// </summary>
public enum RentalEndReason
{
    /// <summary>Completed: the paid term ran out.</summary>
    TermEnded,
    /// <summary>Completed: the client stopped it early; the unused escrow was refunded.</summary>
    ClientStopped,
    /// <summary>Cancelled by the client before acceptance.</summary>
    ClientCancelled,
    /// <summary>Declined by the provider.</summary>
    ProviderDeclined,
    /// <summary>Terminated: the provider ended it, or its machine failed.</summary>
    ProviderFault,
    /// <summary>Terminated: the escrow (a model budget) ran out.</summary>
    InsufficientFunds,
    /// <summary>Terminated: the provider retired the offer.</summary>
    OfferRetired,
    /// <summary>Expired: the provider did not accept in time.</summary>
    AcceptanceTimeout,
}
