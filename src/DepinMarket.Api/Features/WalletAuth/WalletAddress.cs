using DepinMarket.Chain.Util;
using DepinMarket.Domain;

namespace DepinMarket.Api.Features.WalletAuth;

/// <summary>
/// Parses a wallet address from a request; a bad one is a 400 on <c>field</c> saying why (length, hex, checksum).
/// The zero address is refused too: nobody holds its key, so it can be no one's wallet (tokens sent there are burnt).
/// </summary>
public static class WalletAddress
{
    public static EthereumAddress Parse(string? text, string field)
    {
        EthereumAddress address;
        try
        {
            address = EthereumAddress.Parse(text ?? "");
        }
        catch (InvalidAddressException ex)
        {
            throw ValidationFailedException.For(field, ex.Message);
        }
        return address.IsZero
            ? throw ValidationFailedException.For(field, "is the zero address, which nobody controls; give a wallet you hold the key of.")
            : address;
    }
}
