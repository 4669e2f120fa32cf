using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Hex;

namespace DepinMarket.Chain.Contracts;

/// <summary>
/// A contract creation, as in Nethereum: <see cref="ByteCode"/> is the compiled init code and the constructor's
/// arguments are [Parameter] properties of a subclass (<c>class TokenDeployment : ContractDeploymentMessage</c> with
/// <c>[Parameter("address", "initialOwner", 1)]</c>). Send it with
/// <see cref="TransactionManagement.ITransactionManager.DeployContractAndWaitForReceiptAsync{TDeployment}"/>.
/// The transaction fields (gas, fees, nonce) work as on a <see cref="FunctionMessage"/>.
/// </summary>
public class ContractDeploymentMessage : ContractMessageBase
{
    /// <summary>A deployment of <paramref name="byteCode"/> (0x-hex init code, without constructor arguments).</summary>
    public ContractDeploymentMessage(string byteCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(byteCode);
        ByteCode = byteCode;
    }

    /// <summary>The init code as 0x-hex, without constructor arguments.</summary>
    public string ByteCode { get; set; }
}

/// <summary>Encoding helpers for deployment messages.</summary>
public static class ContractDeploymentMessageExtensions
{
    /// <summary>The creation transaction's data: the init code followed by the ABI-encoded constructor arguments.</summary>
    /// <exception cref="InvalidOperationException">The bytecode is not hex (e.g. it still holds unlinked library placeholders).</exception>
    public static byte[] GetDeploymentData(this ContractDeploymentMessage deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        byte[] code;
        try
        {
            code = deployment.ByteCode.HexToByteArray();
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{deployment.GetType().Name}.ByteCode is not hex (unlinked library placeholders?).", ex);
        }

        if (code.Length == 0)
        {
            throw new InvalidOperationException($"{deployment.GetType().Name}.ByteCode is empty.");
        }

        var metadata = AbiParameterMetadata.For(deployment.GetType());
        var arguments = AbiTupleType.EncodeSequence(metadata.Parameters.Select(p => p.Type).ToArray(), metadata.GetValues(deployment));
        return [.. code, .. arguments];
    }

    /// <summary>The constructor's parameters, from the [Parameter] properties.</summary>
    public static IReadOnlyList<AbiParameter> GetConstructorParameters(this ContractDeploymentMessage deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return AbiParameterMetadata.For(deployment.GetType()).Parameters;
    }
}
