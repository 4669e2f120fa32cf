using System.Numerics;
using DepinMarket.Chain.Abi;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Signing;
using DepinMarket.Chain.TransactionManagement;
using DepinMarket.Chain.Transactions;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.TransactionManagement;

public partial class SampleDeployment : SampleDeploymentBase
{
}

/// <summary>A deployment message in the code generator's shape: bytecode and constructor parameters on the base class.</summary>
public class SampleDeploymentBase : ContractDeploymentMessage
{
    // Not a real contract: the fake node never runs it. Real init code is tested live (DepinTokenDeployment).
    public const string SampleByteCode = "0x6080604052348015600f57600080fd5b50";

    public SampleDeploymentBase()
        : base(SampleByteCode)
    {
    }

    [Parameter("address", "initialOwner", 1)]
    public virtual string InitialOwner { get; set; } = string.Empty;

    [Parameter("uint256", "cap", 2)]
    public virtual BigInteger Cap { get; set; }
}

public class ContractDeploymentTests
{
    private const string PrivateKey = "0x3268b89e38caa5d46411cc899b8434748543b571044e0c06b91788601ee03668";

    private static readonly EthereumAddress Owner = EthereumAddress.Parse("0x3c73B1F2a2bbC1Bb9E13a66ba789E20063cA28e9");

    [Fact]
    public void Deployment_data_is_the_bytecode_followed_by_the_abi_encoded_constructor_arguments()
    {
        var deployment = new SampleDeployment { InitialOwner = Owner.ToString(), Cap = 1000 };

        var expected = SampleDeploymentBase.SampleByteCode.HexToByteArray()
            .Concat(AbiTupleType.EncodeSequence([AbiType.Parse("address"), AbiType.Parse("uint256")], [Owner, new BigInteger(1000)]));
        Assert.Equal(expected, deployment.GetDeploymentData());
        Assert.Equal(["address", "uint256"], deployment.GetConstructorParameters().Select(p => p.Type.CanonicalName));
    }

    [Fact]
    public async Task DeployContractAndWaitForReceiptAsync_sends_a_creation_transaction_and_returns_the_receipt_at_the_CREATE_address()
    {
        var api = new FakeEthApi();
        var signer = new LocalEthSigner(PrivateKey);
        var expectedAddress = ContractUtils.CalculateContractAddress(signer.Address, api.PendingNonce);
        api.Receipts = hash => new TransactionReceipt { TransactionHash = hash, Status = 1, BlockNumber = api.Head, ContractAddress = expectedAddress.ToString().ToLowerInvariant() };
        var manager = new TransactionManager(api, signer, 31337);
        var deployment = new SampleDeployment { InitialOwner = Owner.ToString(), Cap = 5, Gas = 300_000 };

        var receipt = await manager.DeployContractAndWaitForReceiptAsync(deployment);

        var sent = TransactionFactory.CreateTransaction(Assert.Single(api.SentRawTransactions));
        Assert.Null(sent.To);
        Assert.Equal(deployment.GetDeploymentData(), sent.Data);
        Assert.Equal(new BigInteger(300_000), sent.GasLimit);
        Assert.Equal(sent.TransactionHash, receipt.TransactionHash);
        Assert.Equal(expectedAddress, EthereumAddress.Parse(receipt.ContractAddress!));
    }

    [Fact]
    public async Task Receipt_naming_another_contract_address_than_CREATE_is_an_error()
    {
        var api = new FakeEthApi
        {
            Receipts = hash => new TransactionReceipt { TransactionHash = hash, Status = 1, BlockNumber = 100, ContractAddress = "0x0000000000000000000000000000000000000bad" },
        };
        var manager = new TransactionManager(api, new LocalEthSigner(PrivateKey), 31337);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => manager.DeployContractAndWaitForReceiptAsync(new SampleDeployment { InitialOwner = Owner.ToString(), Gas = 300_000 }));

        Assert.Contains("creates", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reverted_deployment_returns_its_receipt_for_the_caller_to_check()
    {
        var api = new FakeEthApi { Receipts = hash => new TransactionReceipt { TransactionHash = hash, Status = 0, BlockNumber = 100 } };
        var manager = new TransactionManager(api, new LocalEthSigner(PrivateKey), 31337);

        var receipt = await manager.DeployContractAndWaitForReceiptAsync(new SampleDeployment { InitialOwner = Owner.ToString(), Gas = 300_000 });

        Assert.True(receipt.HasErrors());
    }

    [Fact]
    public async Task Deployment_GasPrice_makes_a_legacy_creation_transaction()
    {
        var api = new FakeEthApi();
        var signer = new LocalEthSigner(PrivateKey);
        var address = ContractUtils.CalculateContractAddress(signer.Address, api.PendingNonce).ToString();
        api.Receipts = hash => new TransactionReceipt { TransactionHash = hash, Status = 1, BlockNumber = 100, ContractAddress = address };
        var manager = new TransactionManager(api, signer, 31337);

        await manager.DeployContractAndWaitForReceiptAsync(new SampleDeployment { InitialOwner = Owner.ToString(), GasPrice = 3_000_000_000 });

        var sent = Assert.IsType<LegacyTransactionChainId>(TransactionFactory.CreateTransaction(Assert.Single(api.SentRawTransactions)));
        Assert.Equal(new BigInteger(3_000_000_000), sent.GasPrice);
        Assert.Null(sent.To);
    }

    [Theory]
    [InlineData("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", 0, "0x5FbDB2315678afecb367f032d93F642f64180aa3")]
    [InlineData("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", 1, "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512")]
    public void CREATE_address_matches_the_well_known_anvil_deployments(string sender, int nonce, string expected)
    {
        // anvil's account 0 deploys its first contracts to these addresses (they appear in every Foundry tutorial).
        Assert.Equal(EthereumAddress.Parse(expected), ContractUtils.CalculateContractAddress(EthereumAddress.Parse(sender), nonce));
    }
}
