using System.Numerics;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Contracts;

// DTOs written the way a Nethereum user writes them, for the functions and events in the vectors that our contracts
// do not have. Vector cases our contracts share (deposit, payout, transfer, approve, balanceOf, Transfer, Deposited)
// use the production DTOs in DepinMarket.Chain.Contracts.*.ContractDefinition instead.

public class SubmitItem
{
    [Parameter("address", "to", 1)]
    public EthereumAddress To { get; set; }

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }

    [Parameter("bytes32", "reference", 3)]
    public byte[] Reference { get; set; } = [];
}

[Function("submit")]
public class SubmitFunction : FunctionMessage
{
    [Parameter("tuple[]", "items", 1)]
    public IReadOnlyList<SubmitItem> Items { get; set; } = [];

    [Parameter("uint64", "deadline", 2)]
    public ulong Deadline { get; set; }
}

[Function("setFlag")]
public class SetFlagFunction : FunctionMessage
{
    [Parameter("bool", "flag", 1)]
    public bool Flag { get; set; }

    [Parameter("int256", "delta", 2)]
    public BigInteger Delta { get; set; }

    [Parameter("uint8", "level", 3)]
    public byte Level { get; set; }
}

[Function("register")]
public class RegisterFunction : FunctionMessage
{
    [Parameter("string", "name", 1)]
    public string Name { get; set; } = string.Empty;

    [Parameter("bytes", "data", 2)]
    public byte[] Data { get; set; } = [];
}

[Event("BatchPaid")]
public class BatchPaidEventDTO : IEventDTO
{
    [Parameter("bytes32", "batchId", 1, true)]
    public byte[] BatchId { get; set; } = [];

    [Parameter("uint256", "recipients", 2)]
    public BigInteger Recipients { get; set; }

    [Parameter("uint256", "total", 3)]
    public BigInteger Total { get; set; }
}

[FunctionOutput]
public class AddressAmountBlobOutput
{
    [Parameter("address", "who", 1)]
    public EthereumAddress Who { get; set; }

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }

    [Parameter("bytes", "blob", 3)]
    public byte[] Blob { get; set; } = [];
}

[FunctionOutput]
public class AmountsAndAddressesOutput
{
    [Parameter("uint256[]", "amounts", 1)]
    public List<BigInteger> Amounts { get; set; } = [];

    [Parameter("address[]", "addresses", 2)]
    public string[] Addresses { get; set; } = [];
}

[Function("lookup", typeof(AddressAmountBlobOutput))]
public class LookupFunction : FunctionMessage
{
}
