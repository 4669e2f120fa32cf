using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Contracts;

// Typed messages the product does not need but the live tests do: ERC-20 metadata and OpenZeppelin's access errors.
namespace DepinMarket.Chain.Tests.Live;

[Function("name", "string")]
public class NameFunction : FunctionMessage
{
}

[Function("symbol", "string")]
public class SymbolFunction : FunctionMessage
{
}

[Function("owner", "address")]
public class OwnerFunction : FunctionMessage
{
}

/// <summary>OpenZeppelin AccessControl: <c>AccessControlUnauthorizedAccount(address account, bytes32 neededRole)</c>.</summary>
[Error("AccessControlUnauthorizedAccount")]
public class AccessControlUnauthorizedAccountError
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; } = string.Empty;

    [Parameter("bytes32", "neededRole", 2)]
    public byte[] NeededRole { get; set; } = [];
}

/// <summary>OpenZeppelin Ownable: <c>OwnableUnauthorizedAccount(address account)</c>.</summary>
[Error("OwnableUnauthorizedAccount")]
public class OwnableUnauthorizedAccountError
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; } = string.Empty;
}
