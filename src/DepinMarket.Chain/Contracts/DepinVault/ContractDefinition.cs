using System.Numerics;
using DepinMarket.Chain.Abi;

// Typed messages for src/contracts/src/DepinVault.sol, laid out like Nethereum's code generator output
// (<Contract>.ContractDefinition), so the settlement code reads the same after a swap. The tests check every
// signature here against the compiled ABI in src/contracts/artifacts, so drift fails the build's tests.
namespace DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;

/// <summary>
/// <c>constructor(IERC20 token_, address admin, address settler)</c>, with the compiled init code embedded in this
/// assembly. The admin grants and revokes settlers; the settler can pay out from the first block.
/// </summary>
public class DepinVaultDeployment : ContractDeploymentMessage
{
    public DepinVaultDeployment()
        : base(Deployment.ContractArtifact.DepinVault.BytecodeHex)
    {
    }

    [Parameter("address", "token_", 1)]
    public string Token { get; set; } = string.Empty;

    [Parameter("address", "admin", 2)]
    public string Admin { get; set; } = string.Empty;

    [Parameter("address", "settler", 3)]
    public string Settler { get; set; } = string.Empty;
}

/// <summary><c>deposit(bytes32 account, uint256 amount)</c>: pulls tokens (approve first) and credits a marketplace account.</summary>
[Function("deposit")]
public class DepositFunction : FunctionMessage
{
    [Parameter("bytes32", "account", 1)]
    public byte[] Account { get; set; } = [];

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

/// <summary>
/// <c>depositWithPermit(bytes32 account, address owner, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)</c>:
/// the gasless deposit. The settler (SETTLER_ROLE only) relays the owner's ERC-2612 permit for exactly
/// <see cref="Amount"/> to the vault and pays the gas; the vault pulls the tokens from <see cref="Owner"/> and emits
/// <c>Deposited(account, owner, amount)</c>. A permit someone front-ran still deposits; an expired, foreign or used
/// permit reverts with the token's <c>ERC2612ExpiredSignature</c> / <c>ERC2612InvalidSigner</c> (decode with the
/// DepinToken error DTOs). Take v, r, s from <see cref="Crypto.EthECDSASignature.FromHex"/>.
/// </summary>
[Function("depositWithPermit")]
public class DepositWithPermitFunction : FunctionMessage
{
    [Parameter("bytes32", "account", 1)]
    public byte[] Account { get; set; } = [];

    [Parameter("address", "owner", 2)]
    public string Owner { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 3)]
    public BigInteger Amount { get; set; }

    [Parameter("uint256", "deadline", 4)]
    public BigInteger Deadline { get; set; }

    [Parameter("uint8", "v", 5)]
    public byte V { get; set; }

    [Parameter("bytes32", "r", 6)]
    public byte[] R { get; set; } = [];

    [Parameter("bytes32", "s", 7)]
    public byte[] S { get; set; } = [];
}

/// <summary><c>payout(bytes32 batchId, address[] recipients, uint256[] amounts)</c>: runs once per batch id.</summary>
[Function("payout")]
public class PayoutFunction : FunctionMessage
{
    [Parameter("bytes32", "batchId", 1)]
    public byte[] BatchId { get; set; } = [];

    [Parameter("address[]", "recipients", 2)]
    public List<string> Recipients { get; set; } = [];

    [Parameter("uint256[]", "amounts", 3)]
    public List<BigInteger> Amounts { get; set; } = [];
}

/// <summary><c>burnFees(bytes32 batchId, uint256 amount)</c>: once per batch id.</summary>
[Function("burnFees")]
public class BurnFeesFunction : FunctionMessage
{
    [Parameter("bytes32", "batchId", 1)]
    public byte[] BatchId { get; set; } = [];

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

/// <summary><c>isBatchPaid(bytes32) returns (bool)</c>: checked before re-broadcasting a payout.</summary>
[Function("isBatchPaid", "bool")]
public class IsBatchPaidFunction : FunctionMessage
{
    [Parameter("bytes32", "batchId", 1)]
    public byte[] BatchId { get; set; } = [];
}

/// <summary><c>isFeesBurned(bytes32) returns (bool)</c>.</summary>
[Function("isFeesBurned", "bool")]
public class IsFeesBurnedFunction : FunctionMessage
{
    [Parameter("bytes32", "batchId", 1)]
    public byte[] BatchId { get; set; } = [];
}

/// <summary><c>token() returns (address)</c>.</summary>
[Function("token", "address")]
public class TokenFunction : FunctionMessage
{
}

/// <summary><c>hasRole(bytes32 role, address account) returns (bool)</c>.</summary>
[Function("hasRole", "bool")]
public class HasRoleFunction : FunctionMessage
{
    [Parameter("bytes32", "role", 1)]
    public byte[] Role { get; set; } = [];

    [Parameter("address", "account", 2)]
    public string Account { get; set; } = string.Empty;
}

/// <summary><c>SETTLER_ROLE() returns (bytes32)</c>.</summary>
[Function("SETTLER_ROLE", "bytes32")]
public class SettlerRoleFunction : FunctionMessage
{
}

/// <summary><c>Deposited(bytes32 indexed account, address indexed from, uint256 amount)</c>: credits the account once confirmed.</summary>
[Event("Deposited")]
public class DepositedEventDTO : IEventDTO
{
    [Parameter("bytes32", "account", 1, true)]
    public byte[] Account { get; set; } = [];

    [Parameter("address", "from", 2, true)]
    public string From { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 3, false)]
    public BigInteger Amount { get; set; }
}

/// <summary><c>PayoutBatch(bytes32 indexed batchId, uint256 recipientCount, uint256 total)</c>: one per paid batch.</summary>
[Event("PayoutBatch")]
public class PayoutBatchEventDTO : IEventDTO
{
    [Parameter("bytes32", "batchId", 1, true)]
    public byte[] BatchId { get; set; } = [];

    [Parameter("uint256", "recipientCount", 2, false)]
    public BigInteger RecipientCount { get; set; }

    [Parameter("uint256", "total", 3, false)]
    public BigInteger Total { get; set; }
}

/// <summary><c>Payout(bytes32 indexed batchId, address indexed recipient, uint256 amount)</c>: one per transfer of a batch.</summary>
[Event("Payout")]
public class PayoutEventDTO : IEventDTO
{
    [Parameter("bytes32", "batchId", 1, true)]
    public byte[] BatchId { get; set; } = [];

    [Parameter("address", "recipient", 2, true)]
    public string Recipient { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 3, false)]
    public BigInteger Amount { get; set; }
}

/// <summary><c>FeesBurned(bytes32 indexed batchId, uint256 amount)</c>.</summary>
[Event("FeesBurned")]
public class FeesBurnedEventDTO : IEventDTO
{
    [Parameter("bytes32", "batchId", 1, true)]
    public byte[] BatchId { get; set; } = [];

    [Parameter("uint256", "amount", 2, false)]
    public BigInteger Amount { get; set; }
}

/// <summary><c>error BatchAlreadyPaid(bytes32 batchId)</c>: the on-chain guard against paying twice fired.</summary>
[Error("BatchAlreadyPaid")]
public class BatchAlreadyPaidError
{
    [Parameter("bytes32", "batchId", 1)]
    public byte[] BatchId { get; set; } = [];
}

/// <summary><c>error FeesAlreadyBurned(bytes32 batchId)</c>.</summary>
[Error("FeesAlreadyBurned")]
public class FeesAlreadyBurnedError
{
    [Parameter("bytes32", "batchId", 1)]
    public byte[] BatchId { get; set; } = [];
}

/// <summary><c>error LengthMismatch()</c>.</summary>
[Error("LengthMismatch")]
public class LengthMismatchError
{
}

/// <summary><c>error EmptyBatch()</c>.</summary>
[Error("EmptyBatch")]
public class EmptyBatchError
{
}

/// <summary><c>error ZeroAmount()</c>.</summary>
[Error("ZeroAmount")]
public class ZeroAmountError
{
}

/// <summary><c>error ZeroAccount()</c>.</summary>
[Error("ZeroAccount")]
public class ZeroAccountError
{
}
