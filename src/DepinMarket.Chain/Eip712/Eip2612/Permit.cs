using System.Numerics;
using DepinMarket.Chain.Abi;

namespace DepinMarket.Chain.Eip712.Eip2612;

/// <summary>
/// The ERC-2612 message <c>Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)</c>
/// (Nethereum: <c>Permit</c>): the owner allows <see cref="Spender"/> to move <see cref="Value"/> of its tokens, once
/// (<see cref="Nonce"/> is the token's <c>nonces(owner)</c>), until <see cref="Deadline"/> (unix seconds).
/// </summary>
[Struct("Permit")]
public class Permit
{
    [Parameter("address", "owner", 1)]
    public string Owner { get; set; } = string.Empty;

    [Parameter("address", "spender", 2)]
    public string Spender { get; set; } = string.Empty;

    [Parameter("uint256", "value", 3)]
    public BigInteger Value { get; set; }

    [Parameter("uint256", "nonce", 4)]
    public BigInteger Nonce { get; set; }

    [Parameter("uint256", "deadline", 5)]
    public BigInteger Deadline { get; set; }
}
