using System.Numerics;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Contracts;

namespace DepinMarket.Chain.Tests.Contracts.Generated;

// The shape Nethereum's code generator writes: attributes and virtual properties on a "Base" class, and an empty
// partial subclass that user code extends. Nothing here is attributed on the class that is actually used.
// CA1716: the generator names virtual properties after the ABI parameters ("To"), a Visual Basic keyword; kept verbatim.
#pragma warning disable CA1716

public partial class TransferFunction : TransferFunctionBase
{
}

[Function("transfer", "bool")]
public class TransferFunctionBase : FunctionMessage
{
    [Parameter("address", "_to", 1)]
    public virtual string To { get; set; } = string.Empty;

    [Parameter("uint256", "_value", 2)]
    public virtual BigInteger Value { get; set; }
}

public partial class TransferEventDTO : TransferEventDTOBase
{
}

[Event("Transfer")]
public class TransferEventDTOBase : IEventDTO
{
    [Parameter("address", "from", 1, true)]
    public virtual string From { get; set; } = string.Empty;

    [Parameter("address", "to", 2, true)]
    public virtual string To { get; set; } = string.Empty;

    [Parameter("uint256", "value", 3, false)]
    public virtual BigInteger Value { get; set; }
}

public partial class LookupFunction : LookupFunctionBase
{
}

[Function("lookup", typeof(LookupOutputDTO))]
public class LookupFunctionBase : FunctionMessage
{
}

public partial class LookupOutputDTO : LookupOutputDTOBase
{
}

[FunctionOutput]
public class LookupOutputDTOBase : IFunctionOutputDTO
{
    [Parameter("address", "who", 1)]
    public virtual string Who { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 2)]
    public virtual BigInteger Amount { get; set; }

    [Parameter("bytes", "blob", 3)]
    public virtual byte[] Blob { get; set; } = [];
}

/// <summary>An output DTO marked only by the interface, as hand-written Nethereum code often is.</summary>
public class LookupInterfaceOnlyOutput : IFunctionOutputDTO
{
    [Parameter("address", "who", 1)]
    public string Who { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }

    [Parameter("bytes", "blob", 3)]
    public byte[] Blob { get; set; } = [];
}

/// <summary>A user's partial class that overrides a generated virtual property: the attribute stays on the base.</summary>
public class TransferFunctionWithOverride : TransferFunctionBase
{
    public override BigInteger Value { get; set; }
}
