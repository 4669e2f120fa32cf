using System.Reflection;
using System.Text.Json;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rpc;
using Vault = DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;

namespace DepinMarket.Chain.Tests.Contracts;

/// <summary>
/// The shipped DTOs for the product's contracts must match what solc compiled (src/contracts/artifacts). The artifacts
/// live in this repository, so a missing file fails the test rather than skipping it.
/// </summary>
public class ContractDefinitionArtifactTests
{
    public static TheoryData<string> DefinitionTypes
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var type in typeof(FunctionMessage).Assembly.GetTypes()
                .Where(t => t.Namespace?.EndsWith(".ContractDefinition", StringComparison.Ordinal) == true && t.IsPublic)
                .OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                data.Add(type.FullName!);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(DefinitionTypes))]
    public void Dto_signature_matches_the_compiled_contract_abi(string typeName)
    {
        var type = typeof(FunctionMessage).Assembly.GetType(typeName)!;
        var contract = typeName.Contains(".DepinVault.", StringComparison.Ordinal) ? "DepinVault" : "DepinToken";
        var abi = ContractAbi.FromJson(File.ReadAllText(ArtifactPath(contract)));

        if (typeof(ContractDeploymentMessage).IsAssignableFrom(type))
        {
            var deployment = (ContractDeploymentMessage)Activator.CreateInstance(type)!;
            using var artifact = JsonDocument.Parse(File.ReadAllText(ArtifactPath(contract)));
            Assert.Equal(artifact.RootElement.GetProperty("bytecode").GetString(), deployment.ByteCode);
            Assert.Equal(abi.ConstructorInputs.Select(p => p.Type.CanonicalName), deployment.GetConstructorParameters().Select(p => p.Type.CanonicalName));
            Assert.Equal(abi.ConstructorInputs.Select(p => p.Name), deployment.GetConstructorParameters().Select(p => p.Name));
        }
        else if (type.GetCustomAttribute<EventAttribute>() is not null)
        {
            var dto = AbiTypedRegistry.GetEvent(type);
            var compiled = abi.FindEvent(dto.Name);
            Assert.NotNull(compiled);
            Assert.Equal(compiled.Signature, dto.Signature);
            Assert.Equal(compiled.Parameters.Select(p => p.Indexed), dto.Parameters.Select(p => p.Indexed));
            Assert.Equal(compiled.Parameters.Select(p => p.Name), dto.Parameters.Select(p => p.Name));
        }
        else if (type.GetCustomAttribute<ErrorAttribute>() is not null)
        {
            var dto = AbiTypedRegistry.GetFunction(type);
            Assert.Contains(abi.Errors, e => e.Signature == dto.Signature);
        }
        else if (typeof(IFunctionOutputDTO).IsAssignableFrom(type) || type.GetCustomAttribute<FunctionOutputAttribute>() is not null)
        {
            // An output DTO is checked through the function that returns it, names included; here: that one does.
            var owners = type.Assembly.GetTypes().Where(t => t.Namespace == type.Namespace && t.GetCustomAttribute<FunctionAttribute>()?.DTOReturnType == type);
            var owner = Assert.Single(owners);
            var compiled = abi.FindFunction(AbiTypedRegistry.GetFunction(owner).Name);
            Assert.NotNull(compiled);
            Assert.Equal(compiled.Outputs.Select(p => p.Type.CanonicalName), AbiTypedRegistry.GetFunction(owner).Outputs.Select(p => p.Type.CanonicalName));
        }
        else
        {
            var dto = AbiTypedRegistry.GetFunction(type);
            var compiled = abi.FindFunction(dto.Name);
            Assert.NotNull(compiled);
            Assert.Equal(compiled.Signature, dto.Signature);
            Assert.Equal(compiled.Outputs.Select(p => p.Type.CanonicalName), dto.Outputs.Select(p => p.Type.CanonicalName));
            Assert.Equal(compiled.Inputs.Select(p => p.Name), dto.Inputs.Select(p => p.Name));
            if (type.GetCustomAttribute<FunctionAttribute>()?.DTOReturnType is not null)
            {
                Assert.Equal(compiled.Outputs.Select(p => p.Name), dto.Outputs.Select(p => p.Name));
            }
        }
    }

    [Theory]
    [InlineData("DepinToken", "permit")]
    [InlineData("DepinToken", "nonces")]
    [InlineData("DepinToken", "DOMAIN_SEPARATOR")]
    [InlineData("DepinToken", "eip712Domain")]
    [InlineData("DepinToken", "ERC2612ExpiredSignature")]
    [InlineData("DepinToken", "ERC2612InvalidSigner")]
    [InlineData("DepinVault", "depositWithPermit")]
    [InlineData("DepinVault", "deposit")]
    public void Compiled_member_has_a_dto(string contract, string member)
    {
        // The theory above checks each DTO against the ABI; this one makes sure the members the product uses have one.
        var ns = $"DepinMarket.Chain.Contracts.{contract}.ContractDefinition";
        var names = typeof(FunctionMessage).Assembly.GetTypes()
            .Where(t => t.Namespace == ns)
            .Select(t => t.GetCustomAttribute<FunctionAttribute>()?.Name ?? t.GetCustomAttribute<ErrorAttribute>()?.Name);
        var abi = ContractAbi.FromJson(File.ReadAllText(ArtifactPath(contract)));

        Assert.True(abi.FindFunction(member) is not null || abi.Errors.Any(e => e.Name == member), $"{contract} compiles no {member}");
        Assert.Contains(member, names);
    }

    [Fact]
    public void Revert_data_of_BatchAlreadyPaid_is_named_by_the_artifact_and_decodes_to_the_error_dto()
    {
        var abi = ContractAbi.FromJson(File.ReadAllText(ArtifactPath("DepinVault")));
        var batchId = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var revertData = AbiTypedRegistry.GetFunction<Vault.BatchAlreadyPaidError>().GetCallData(batchId);

        Assert.Equal("BatchAlreadyPaid", abi.FindError(revertData)?.Name);
        var decoded = RevertReason.TryDecodeCustomError<Vault.BatchAlreadyPaidError>(revertData);
        Assert.NotNull(decoded);
        Assert.Equal(batchId.ToHex(), decoded.BatchId.ToHex());
        Assert.Null(RevertReason.TryDecodeCustomError<Vault.EmptyBatchError>(revertData));
    }

    private static string ArtifactPath(string contract)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "contracts", "artifacts", contract + ".json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"src/contracts/artifacts/{contract}.json not found above {AppContext.BaseDirectory}.");
    }
}
