using System.Numerics;
using DepinMarket.Chain.Contracts.DepinToken;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Eip712;
using DepinMarket.Chain.Eip712.Eip2612;
using DepinMarket.Chain.Util;
using DepinMarket.Domain;

namespace DepinMarket.Api.Features.Deposits;

/// <summary>
/// The ERC-2612 permit of a deposit: the account's wallet lets the vault take <see cref="Amount"/> once
/// (<see cref="Nonce"/>) until <see cref="Deadline"/>, in the deployed token's EIP-712 domain.
/// </summary>
internal sealed record DepositPermit(DepositChain Chain, EthereumAddress Owner, BigInteger Amount, BigInteger Nonce, long Deadline)
{
    private Permit Message => new()
    {
        Owner = Owner.ToString(), Spender = Chain.VaultAddress.ToString(), Value = Amount, Nonce = Nonce, Deadline = Deadline,
    };

    public TypedData<Chain.Eip712.Domain> TypedData =>
        Eip2612TypeFactory.CreatePermit(DepinTokenPermitDomain.Create(Chain.ChainId, Chain.TokenAddress), Message);

    public PermitTypedData ToJson() => PermitTypedData.From(TypedData, Message);

    /// <summary>
    /// The signature's r, s and v once it is checked to be the owner's, off-chain, before any gas is spent; a 400
    /// naming "signature" for anything else (not 65 bytes of hex, malleable, or signed by another key or for other values).
    /// </summary>
    public EthECDSASignature VerifiedSignature(string? signature)
    {
        EthECDSASignature parsed;
        string signer;
        try
        {
            parsed = EthECDSASignature.FromHex(signature ?? "");
            signer = Eip712TypedDataSigner.Current.RecoverFromSignatureV4(TypedData, signature!);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or InvalidOperationException)
        {
            throw ValidationFailedException.For("signature", "must be the wallet's 65-byte EIP-712 signature of the typed data from POST /v1/deposits/permit: 0x + 130 hex digits.");
        }
        if (!string.Equals(signer, Owner.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            throw ValidationFailedException.For("signature",
                $"was not made by {Owner} for this permit (amount, deadline, nonce {Nonce}): it recovers to {signer}. " +
                "Sign the typed data from POST /v1/deposits/permit with the account's verified wallet, and send the same amount and deadline.");
        }
        return parsed;
    }
}
