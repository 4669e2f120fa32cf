namespace DepinMarket.Chain.Abi;

/// <summary>
/// Marks a <c>FunctionMessage</c> class as a contract function, exactly as in Nethereum:
/// <c>[Function("transfer", "bool")]</c>, or <c>[Function("getBatch", typeof(BatchOutput))]</c> for a struct return.
/// Inherited, so the code generator's shape works: the attribute on <c>TransferFunctionBase</c>, and user code on
/// <c>partial class TransferFunction : TransferFunctionBase</c>. The same holds for every attribute here.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class FunctionAttribute : Attribute
{
    /// <summary>Function <paramref name="name"/>; <paramref name="returnType"/> is an ABI type list like "uint256" or "uint256,address".</summary>
    public FunctionAttribute(string name, string? returnType = null)
    {
        Name = name;
        ReturnType = returnType;
    }

    /// <summary>Function <paramref name="name"/> returning the <see cref="FunctionOutputAttribute"/> DTO <paramref name="dtoReturnType"/>.</summary>
    public FunctionAttribute(string name, Type dtoReturnType)
    {
        Name = name;
        DTOReturnType = dtoReturnType;
    }

    /// <summary>Solidity function name.</summary>
    public string Name { get; }

    /// <summary>Return type(s) as ABI text, when declared that way.</summary>
    public string? ReturnType { get; }

    /// <summary>Return DTO type, when declared that way.</summary>
    public Type? DTOReturnType { get; }
}

/// <summary>Marks an <see cref="IEventDTO"/> class as the event <see cref="Name"/>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class EventAttribute(string name) : Attribute
{
    /// <summary>Solidity event name.</summary>
    public string Name { get; } = name;
}

/// <summary>Marks a class as a custom error (<c>error InsufficientBalance(uint256 available)</c>); same shape as a function.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ErrorAttribute(string name) : Attribute
{
    /// <summary>Solidity error name.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// Marks a class as the decoded outputs of a function (its properties carry <see cref="ParameterAttribute"/>). Implementing
/// <see cref="IFunctionOutputDTO"/> marks it as well; generated code does both.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class FunctionOutputAttribute : Attribute
{
}

/// <summary>
/// Names a struct DTO (Nethereum: <c>[Struct("Permit")]</c>): the name EIP-712 typed data gives its type. Without it
/// the class name is used.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class StructAttribute(string name) : Attribute
{
    /// <summary>The struct's type name.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// Maps a property to an ABI parameter: <c>[Parameter("address", "to", 1)]</c>, <c>[Parameter("uint256", "value", 3, false)]</c>
/// on events, <c>[Parameter("address", "from", 1, true)]</c> for indexed event parameters, and
/// <c>[Parameter("tuple[]", "items", 1)]</c> for struct arrays (the struct's own properties describe its components).
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class ParameterAttribute : Attribute
{
    /// <summary>Parameter of ABI <paramref name="type"/> at position <paramref name="order"/> (1-based).</summary>
    public ParameterAttribute(string type, string? name = null, int order = 1, bool indexed = false)
    {
        Type = type;
        Name = name;
        Order = order;
        Indexed = indexed;
    }

    /// <summary>Parameter without a name.</summary>
    public ParameterAttribute(string type, int order)
        : this(type, null, order)
    {
    }

    /// <summary>ABI type text.</summary>
    public string Type { get; }

    /// <summary>Parameter name (informational).</summary>
    public string? Name { get; }

    /// <summary>1-based position; parameters are encoded in this order.</summary>
    public int Order { get; }

    /// <summary>For event parameters: stored in a topic rather than in data.</summary>
    public bool Indexed { get; }
}

#pragma warning disable CA1040 // Empty marker interfaces kept for Nethereum source compatibility.

/// <summary>Marker for event DTOs (Nethereum's <c>IEventDTO</c>): lets <c>DecodeAllEvents&lt;T&gt;</c> constrain its type argument.</summary>
public interface IEventDTO
{
}

/// <summary>
/// Marker for function output DTOs (Nethereum's <c>IFunctionOutputDTO</c>): a class implementing it is decoded from its
/// [Parameter] properties, with or without <see cref="FunctionOutputAttribute"/>.
/// </summary>
public interface IFunctionOutputDTO
{
}

#pragma warning restore CA1040
