using System.Numerics;
using DepinMarket.Chain.Abi;

// Typed messages for src/contracts/src/DepinToken.sol (OpenZeppelin ERC-20 + burnable + ERC-2612 permit + owner mint), laid out like
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

/// <summary>
/// <c>permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)</c>
/// (ERC-2612): sets <c>allowance(owner, spender) = value</c> from the owner's EIP-712 signature of a
/// <see cref="Eip712.Eip2612.Permit"/> with the owner's current <c>nonces</c> (see <see cref="DepinTokenPermitDomain"/>).
/// Anyone may submit it. The product relays permits through <c>DepinVault.depositWithPermit</c> instead.
/// </summary>
[Function("permit")]
public class PermitFunction : FunctionMessage
{
    [Parameter("address", "owner", 1)]
    public string Owner { get; set; } = string.Empty;

    [Parameter("address", "spender", 2)]
    public string Spender { get; set; } = string.Empty;

    [Parameter("uint256", "value", 3)]
    public BigInteger Value { get; set; }

    [Parameter("uint256", "deadline", 4)]
    public BigInteger Deadline { get; set; }

    [Parameter("uint8", "v", 5)]
    public byte V { get; set; }

    [Parameter("bytes32", "r", 6)]
    public byte[] R { get; set; } = [];

    [Parameter("bytes32", "s", 7)]
    public byte[] S { get; set; } = [];
}

/// <summary><c>nonces(address owner) returns (uint256)</c>: the nonce the owner's next permit must carry.</summary>
[Function("nonces", "uint256")]
public class NoncesFunction : FunctionMessage
{
    [Parameter("address", "owner", 1)]
    public string Owner { get; set; } = string.Empty;
}

/// <summary><c>DOMAIN_SEPARATOR() returns (bytes32)</c>: the EIP-712 domain hash permits are signed in.</summary>
[Function("DOMAIN_SEPARATOR", "bytes32")]
public class DomainSeparatorFunction : FunctionMessage
{
}

/// <summary><c>eip712Domain()</c> (EIP-5267): the token's EIP-712 domain, field by field.</summary>
[Function("eip712Domain", typeof(Eip712DomainOutputDTO))]
public class Eip712DomainFunction : FunctionMessage
{
}

/// <summary>
/// The outputs of <c>eip712Domain()</c>: <see cref="Fields"/> is a bit set of the domain fields in use (0x0f: name,
/// version, chainId, verifyingContract; no salt), <see cref="Extensions"/> is empty.
/// </summary>
[FunctionOutput]
public class Eip712DomainOutputDTO : IFunctionOutputDTO
{
    [Parameter("bytes1", "fields", 1)]
    public byte[] Fields { get; set; } = [];

    [Parameter("string", "name", 2)]
    public string Name { get; set; } = string.Empty;

    [Parameter("string", "version", 3)]
    public string Version { get; set; } = string.Empty;

    [Parameter("uint256", "chainId", 4)]
    public BigInteger ChainId { get; set; }

    [Parameter("address", "verifyingContract", 5)]
    public string VerifyingContract { get; set; } = string.Empty;

    [Parameter("bytes32", "salt", 6)]
    public byte[] Salt { get; set; } = [];

    [Parameter("uint256[]", "extensions", 7)]
    public List<BigInteger> Extensions { get; set; } = [];
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

/// <summary><c>error ERC2612ExpiredSignature(uint256 deadline)</c>: the permit's deadline is in the past.</summary>
[Error("ERC2612ExpiredSignature")]
public class ERC2612ExpiredSignatureError
{
    [Parameter("uint256", "deadline", 1)]
    public BigInteger Deadline { get; set; }
}

/// <summary>
/// <c>error ERC2612InvalidSigner(address signer, address owner)</c>: the signature recovers to <see cref="Signer"/>,
/// not the permit's owner: signed by someone else, for other values, or already used (the nonce moved on).
/// </summary>
[Error("ERC2612InvalidSigner")]
public class ERC2612InvalidSignerError
{
    [Parameter("address", "signer", 1)]
    public string Signer { get; set; } = string.Empty;

    [Parameter("address", "owner", 2)]
    public string Owner { get; set; } = string.Empty;
}

/// <summary><c>error ECDSAInvalidSignature()</c>: the signature recovers to no address at all.</summary>
[Error("ECDSAInvalidSignature")]
public class ECDSAInvalidSignatureError
{
}
