using System.Numerics;
using DepinMarket.Chain.Abi;

// Typed messages for src/contracts/src/DepinToken.sol (OpenZeppelin ERC-20 + burnable + owner mint), laid out like
// Nethereum's code generator output. Checked against the compiled ABI by the tests.
namespace DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;

/// <summary>
/// <c>constructor(address initialOwner)</c>, with the compiled init code embedded in this assembly; deploy it with
/// <c>DeployContractAndWaitForReceiptAsync</c>.
/// </summary>
public class DepinTokenDeployment : ContractDeploymentMessage
{
    public DepinTokenDeployment()
        : base(Deployment.ContractArtifact.DepinToken.BytecodeHex)
    {
    }

    [Parameter("address", "initialOwner", 1)]
    public string InitialOwner { get; set; } = string.Empty;
}

/// <summary><c>mint(address to, uint256 amount)</c>: owner only, used on test networks.</summary>
[Function("mint")]
public class MintFunction : FunctionMessage
{
    [Parameter("address", "to", 1)]
    public string To { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

/// <summary><c>transfer(address to, uint256 value) returns (bool)</c>.</summary>
[Function("transfer", "bool")]
public class TransferFunction : FunctionMessage
{
    [Parameter("address", "to", 1)]
    public string To { get; set; } = string.Empty;

    [Parameter("uint256", "value", 2)]
    public BigInteger Value { get; set; }
}

/// <summary><c>approve(address spender, uint256 value) returns (bool)</c>: needed before <c>deposit</c>.</summary>
[Function("approve", "bool")]
public class ApproveFunction : FunctionMessage
{
    [Parameter("address", "spender", 1)]
    public string Spender { get; set; } = string.Empty;

    [Parameter("uint256", "value", 2)]
    public BigInteger Value { get; set; }
}

/// <summary><c>balanceOf(address account) returns (uint256)</c>.</summary>
[Function("balanceOf", "uint256")]
public class BalanceOfFunction : FunctionMessage
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; } = string.Empty;
}

/// <summary><c>allowance(address owner, address spender) returns (uint256)</c>.</summary>
[Function("allowance", "uint256")]
public class AllowanceFunction : FunctionMessage
{
    [Parameter("address", "owner", 1)]
    public string Owner { get; set; } = string.Empty;

    [Parameter("address", "spender", 2)]
    public string Spender { get; set; } = string.Empty;
}

/// <summary><c>totalSupply() returns (uint256)</c>.</summary>
[Function("totalSupply", "uint256")]
public class TotalSupplyFunction : FunctionMessage
{
}

/// <summary><c>decimals() returns (uint8)</c>.</summary>
[Function("decimals", "uint8")]
public class DecimalsFunction : FunctionMessage
{
}

/// <summary><c>Transfer(address indexed from, address indexed to, uint256 value)</c>.</summary>
[Event("Transfer")]
public class TransferEventDTO : IEventDTO
{
    [Parameter("address", "from", 1, true)]
    public string From { get; set; } = string.Empty;

    [Parameter("address", "to", 2, true)]
    public string To { get; set; } = string.Empty;

    [Parameter("uint256", "value", 3, false)]
    public BigInteger Value { get; set; }
}

/// <summary><c>Approval(address indexed owner, address indexed spender, uint256 value)</c>.</summary>
[Event("Approval")]
public class ApprovalEventDTO : IEventDTO
{
    [Parameter("address", "owner", 1, true)]
    public string Owner { get; set; } = string.Empty;

    [Parameter("address", "spender", 2, true)]
    public string Spender { get; set; } = string.Empty;

    [Parameter("uint256", "value", 3, false)]
    public BigInteger Value { get; set; }
}

/// <summary><c>error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)</c>.</summary>
[Error("ERC20InsufficientBalance")]
public class ERC20InsufficientBalanceError
{
    [Parameter("address", "sender", 1)]
    public string Sender { get; set; } = string.Empty;

    [Parameter("uint256", "balance", 2)]
    public BigInteger Balance { get; set; }

    [Parameter("uint256", "needed", 3)]
    public BigInteger Needed { get; set; }
}

/// <summary><c>error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)</c>.</summary>
[Error("ERC20InsufficientAllowance")]
public class ERC20InsufficientAllowanceError
{
    [Parameter("address", "spender", 1)]
    public string Spender { get; set; } = string.Empty;

    [Parameter("uint256", "allowance", 2)]
    public BigInteger Allowance { get; set; }

    [Parameter("uint256", "needed", 3)]
    public BigInteger Needed { get; set; }
}
