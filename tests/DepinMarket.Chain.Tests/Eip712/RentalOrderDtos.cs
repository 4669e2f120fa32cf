using System.Numerics;
using DepinMarket.Chain.Abi;

namespace DepinMarket.Chain.Tests.Eip712;

// The shared vectors' RentalOrder type written as attributed DTOs, to check the typed path (MemberDescriptionFactory,
// MemberValueFactory) against the same ethers.js digests as the JSON path.

[Struct("Party")]
public class Party
{
    [Parameter("address", "wallet", 1)]
    public string Wallet { get; set; } = string.Empty;

    [Parameter("bytes32", "account", 2)]
    public byte[] Account { get; set; } = [];
}

[Struct("RentalOrder")]
public class RentalOrder
{
    [Parameter("bytes32", "offerId", 1)]
    public byte[] OfferId { get; set; } = [];

    [Parameter("tuple", "renter", 2)]
    public Party Renter { get; set; } = new();

    [Parameter("uint16", "gpus", 3)]
    public ushort Gpus { get; set; }

    [Parameter("uint32", "hours", 4)]
    public uint Hours { get; set; }

    [Parameter("uint256", "maxTotal", 5)]
    public BigInteger MaxTotal { get; set; }

    [Parameter("string", "note", 6)]
    public string Note { get; set; } = string.Empty;

    [Parameter("bytes", "proof", 7)]
    public byte[] Proof { get; set; } = [];

    [Parameter("bool", "autoRenew", 8)]
    public bool AutoRenew { get; set; }

    [Parameter("int64", "delta", 9)]
    public long Delta { get; set; }

    [Parameter("tuple[]", "payees", 10)]
    public List<Party> Payees { get; set; } = [];

    [Parameter("uint256[]", "caps", 11)]
    public List<BigInteger> Caps { get; set; } = [];
}
