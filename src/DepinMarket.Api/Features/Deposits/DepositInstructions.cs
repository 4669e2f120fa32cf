using DepinMarket.Api.Hosting;
using DepinMarket.Domain.Deposits;

namespace DepinMarket.Api.Features.Deposits;

/// <summary>How to fund this account from a wallet.</summary>
/// <param name="Reference">The bytes32 that names this account in the vault: pass it to vault.deposit; the vault's Deposited event carries it.</param>
/// <param name="TokenAddress">The DPIN token; null when the API runs without a chain.</param>
/// <param name="VaultAddress">The vault to deposit into; null when the API runs without a chain.</param>
/// <param name="Calls">The transactions to send from the wallet, in order (the wallet pays the gas).</param>
/// <param name="Gasless">The way without gas: sign a permit, the API relays it.</param>
public sealed record DepositInstructions(string Reference, string? TokenAddress, string? VaultAddress, string[] Calls, string Gasless)
{
    public static DepositInstructions For(Guid accountId, MarketChain chain)
    {
        var reference = DepositReference.HexFor(accountId);
        var token = chain.Token?.ToString() ?? "<token>";
        var vault = chain.Vault?.ToString() ?? "<vault>";
        return new DepositInstructions(reference, chain.Token?.ToString(), chain.Vault?.ToString(),
            [$"{token}.approve({vault}, amountInBaseUnits)", $"{vault}.deposit({reference}, amountInBaseUnits)"],
            "POST /v1/deposits/permit {amount} returns EIP-712 typed data; sign it with the verified wallet (eth_signTypedData_v4) and " +
            "POST /v1/deposits {amount, deadline, signature}: the API sends depositWithPermit and pays the gas. " +
            "The deposit watcher credits the account once the vault's Deposited log is confirmed.");
    }
}
