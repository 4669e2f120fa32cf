using System.Numerics;
using System.Security.Cryptography;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Util;
using Token = DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using Vault = DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;

namespace DepinMarket.Chain.Tests.Live;

/// <summary>
/// Deployment and the settlement flow against a real anvil: every test deploys its own contracts (a few ms on anvil),
/// so the tests do not depend on each other or on what a shared node (DEPINMARKET_TEST_RPC) already holds.
/// Roles: dev account 0 deploys (token owner) and administers the vault, account 1 settles, account 2 deposits.
/// </summary>
[Collection(AnvilTestGroup.Name)]
public class MarketContractsLiveTests(AnvilNode node)
{
    private const int Deployer = 0;
    private const int SettlerAccount = 1;
    private const int Depositor = 2;
    private static readonly BigInteger Dpin = BigInteger.Pow(10, 18);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Deploy_creates_both_contracts_with_code_and_token_metadata()
    {
        var chain = node.Client(Deployer);
        var headBefore = await chain.Eth.BlockNumberAsync(Ct);

        var deployed = await MarketContracts.DeployAsync(chain, AnvilNode.Account(Deployer), AnvilNode.Account(SettlerAccount), Ct);

        Assert.True(await MarketContracts.IsDeployedAsync(chain, deployed, Ct));
        Assert.True((await chain.Eth.GetCodeAsync(deployed.Token.ToString(), null, Ct)).Length > 2);
        Assert.True((await chain.Eth.GetCodeAsync(deployed.Vault.ToString(), null, Ct)).Length > 2);
        Assert.True(deployed.DeployedAtBlock > headBefore);
        Assert.True(deployed.DeployedAtBlock <= await chain.Eth.BlockNumberAsync(Ct));

        var token = chain.GetContractHandler(deployed.Token);
        Assert.Equal("DePIN Market Token", await token.QueryAsync<NameFunction, string>(cancellationToken: Ct));
        Assert.Equal("DPIN", await token.QueryAsync<SymbolFunction, string>(cancellationToken: Ct));
        Assert.Equal(18, await token.QueryAsync<Token.DecimalsFunction, int>(cancellationToken: Ct));
        Assert.Equal(BigInteger.Zero, await token.QueryAsync<Token.TotalSupplyFunction, BigInteger>(cancellationToken: Ct));
        Assert.Equal(AnvilNode.Account(Deployer), EthereumAddress.Parse(await token.QueryAsync<OwnerFunction, string>(cancellationToken: Ct)));

        var vault = chain.GetContractHandler(deployed.Vault);
        Assert.Equal(deployed.Token, EthereumAddress.Parse(await vault.QueryAsync<Vault.TokenFunction, string>(cancellationToken: Ct)));
        var settlerRole = await vault.QueryAsync<Vault.SettlerRoleFunction, byte[]>(cancellationToken: Ct);
        Assert.True(await vault.QueryAsync<Vault.HasRoleFunction, bool>(new() { Role = settlerRole, Account = AnvilNode.Account(SettlerAccount).ToString() }, cancellationToken: Ct));
        Assert.False(await vault.QueryAsync<Vault.HasRoleFunction, bool>(new() { Role = settlerRole, Account = AnvilNode.Account(Deployer).ToString() }, cancellationToken: Ct));
        Assert.True(await vault.QueryAsync<Vault.HasRoleFunction, bool>(new() { Role = new byte[32], Account = AnvilNode.Account(Deployer).ToString() }, cancellationToken: Ct));
    }

    [Fact]
    public async Task Generic_deployment_message_deploys_the_token_at_the_CREATE_address_even_as_a_legacy_transaction()
    {
        var chain = node.Client(Deployer);
        var manager = chain.TransactionManager!;
        var nonce = await chain.Eth.GetTransactionCountAsync(manager.Account.ToString(), BlockParameter.Pending, Ct);
        var owner = RandomAddress();
        var gasPrice = (await chain.Eth.GetBlockByNumberAsync(BlockParameter.Latest, Ct))!.BaseFeePerGas!.Value * 2;

        var receipt = await manager.DeployContractAndWaitForReceiptAsync(
            new Token.DepinTokenDeployment { InitialOwner = owner.ToString(), GasPrice = gasPrice }, Ct);

        Assert.True(receipt.Succeeded());
        Assert.Equal(BigInteger.Zero, receipt.Type);
        Assert.Equal(gasPrice, receipt.EffectiveGasPrice);
        var token = EthereumAddress.Parse(receipt.ContractAddress!);
        Assert.Equal(ContractUtils.CalculateContractAddress(manager.Account, nonce), token);
        Assert.Equal(owner, EthereumAddress.Parse(await chain.GetContractHandler(token).QueryAsync<OwnerFunction, string>(cancellationToken: Ct)));
    }

    [Fact]
    public async Task IsDeployed_is_false_for_addresses_without_code()
    {
        var chain = node.Client(account: null);
        var nowhere = new DeployedContracts(RandomAddress(), RandomAddress(), 0);
        var halfway = nowhere with { Token = await DeployedTokenAsync() };

        Assert.False(await MarketContracts.IsDeployedAsync(chain, nowhere, Ct));
        Assert.False(await MarketContracts.IsDeployedAsync(chain, halfway, Ct));
    }

    [Fact]
    public async Task Mint_credits_the_recipient_and_the_total_supply()
    {
        var chain = node.Client(Deployer);
        var deployed = await DeployAsync();
        var to = RandomAddress();

        var hash = await MarketContracts.MintAsync(chain, deployed.Token, to, 250 * Dpin, Ct);

        var receipt = await chain.Eth.GetTransactionReceiptAsync(hash, Ct);
        Assert.NotNull(receipt);
        Assert.True(receipt.Succeeded());
        var transfer = Assert.Single(receipt.DecodeAllEvents<Token.TransferEventDTO>());
        Assert.Equal(EthereumAddress.Zero, EthereumAddress.Parse(transfer.Event.From));
        Assert.Equal(to, EthereumAddress.Parse(transfer.Event.To));
        Assert.Equal(250 * Dpin, transfer.Event.Value);
        Assert.Equal(250 * Dpin, await BalanceAsync(deployed.Token, to));
        Assert.Equal(250 * Dpin, await chain.GetContractHandler(deployed.Token).QueryAsync<Token.TotalSupplyFunction, BigInteger>(cancellationToken: Ct));
    }

    [Fact]
    public async Task Mint_by_a_non_owner_is_refused_with_OwnableUnauthorizedAccount()
    {
        var deployed = await DeployAsync();
        var outsider = node.Client(Depositor);

        var ex = await Assert.ThrowsAsync<RpcRevertException>(() => MarketContracts.MintAsync(outsider, deployed.Token, AnvilNode.Account(Depositor), Dpin, Ct));

        var error = ex.DecodeCustomError<OwnableUnauthorizedAccountError>();
        Assert.NotNull(error);
        Assert.Equal(AnvilNode.Account(Depositor), EthereumAddress.Parse(error.Account));
    }

    [Fact]
    public async Task Deposit_after_approve_emits_Deposited_decoded_from_the_receipt()
    {
        var deployed = await DeployAsync();
        await MarketContracts.MintAsync(node.Client(Deployer), deployed.Token, AnvilNode.Account(Depositor), 100 * Dpin, Ct);
        var depositor = node.Client(Depositor);
        var account = RandomBytes32();

        var approval = await depositor.GetContractHandler(deployed.Token).SendRequestAndWaitForReceiptAsync(
            new Token.ApproveFunction { Spender = deployed.Vault.ToString(), Value = 40 * Dpin }, Ct);
        var receipt = await depositor.GetContractHandler(deployed.Vault).SendRequestAndWaitForReceiptAsync(
            new Vault.DepositFunction { Account = account, Amount = 40 * Dpin }, Ct);

        Assert.True(approval.Succeeded());
        Assert.True(receipt.Succeeded());
        var deposited = Assert.Single(receipt.DecodeAllEvents<Vault.DepositedEventDTO>());
        Assert.Equal(account, deposited.Event.Account);
        Assert.Equal(AnvilNode.Account(Depositor), EthereumAddress.Parse(deposited.Event.From));
        Assert.Equal(40 * Dpin, deposited.Event.Amount);
        Assert.Equal(deployed.Vault, EthereumAddress.Parse(deposited.Log.Address));
        Assert.Equal(receipt.TransactionHash, deposited.Log.TransactionHash);
        Assert.Equal(40 * Dpin, await BalanceAsync(deployed.Token, deployed.Vault));
        Assert.Equal(60 * Dpin, await BalanceAsync(deployed.Token, AnvilNode.Account(Depositor)));
    }

    [Fact]
    public async Task Payout_to_three_recipients_moves_balances_and_emits_Payout_and_PayoutBatch()
    {
        var deployed = await FundedVaultAsync(100 * Dpin);
        var recipients = new[] { RandomAddress(), RandomAddress(), RandomAddress() };
        var amounts = new[] { 10 * Dpin, 20 * Dpin, 5 * Dpin + 1 };
        var batchId = RandomBytes32();

        var receipt = await PayoutAsync(node.Client(SettlerAccount), deployed, batchId, recipients, amounts);

        Assert.True(receipt.Succeeded());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(amounts[i], await BalanceAsync(deployed.Token, recipients[i]));
        }

        Assert.Equal((100 * Dpin) - amounts.Aggregate(BigInteger.Add), await BalanceAsync(deployed.Token, deployed.Vault));
        var payouts = receipt.DecodeAllEvents<Vault.PayoutEventDTO>();
        Assert.Equal(recipients, payouts.Select(p => EthereumAddress.Parse(p.Event.Recipient)));
        Assert.Equal(amounts, payouts.Select(p => p.Event.Amount));
        Assert.All(payouts, p => Assert.Equal(batchId, p.Event.BatchId));
        var batch = Assert.Single(receipt.DecodeAllEvents<Vault.PayoutBatchEventDTO>());
        Assert.Equal(batchId, batch.Event.BatchId);
        Assert.Equal(3, batch.Event.RecipientCount);
        Assert.Equal(amounts.Aggregate(BigInteger.Add), batch.Event.Total);
        // The token's own Transfer events are in the same receipt; DecodeAllEvents picks only the asked-for type.
        Assert.Equal(3, receipt.DecodeAllEvents<Token.TransferEventDTO>().Count);

        // The same events through eth_getLogs, scanning from the deployment block as the settlement worker will.
        var logged = await node.Client(account: null).GetContractHandler(deployed.Vault)
            .GetEventsAsync<Vault.PayoutEventDTO>(BlockParameter.FromNumber(deployed.DeployedAtBlock), BlockParameter.Latest, Ct);
        Assert.Equal(recipients, logged.Select(p => EthereumAddress.Parse(p.Event.Recipient)));
        Assert.All(logged, p => Assert.Equal(receipt.BlockNumber, p.Log.BlockNumber));
    }

    [Fact]
    public async Task Paying_the_same_batch_id_again_is_refused_with_BatchAlreadyPaid()
    {
        var deployed = await FundedVaultAsync(100 * Dpin);
        var settler = node.Client(SettlerAccount);
        var recipients = new[] { RandomAddress(), RandomAddress(), RandomAddress() };
        var amounts = new[] { Dpin, 2 * Dpin, 3 * Dpin };
        var batchId = RandomBytes32();
        await PayoutAsync(settler, deployed, batchId, recipients, amounts);
        var nonceBefore = await settler.Eth.GetTransactionCountAsync(AnvilNode.Account(SettlerAccount).ToString(), null, Ct);

        // The library estimates gas before signing, so the revert surfaces there, typed, and nothing is sent.
        var ex = await Assert.ThrowsAsync<RpcRevertException>(() => PayoutAsync(settler, deployed, batchId, recipients, amounts));

        Assert.Equal(RpcErrorKind.ExecutionReverted, ex.Kind);
        Assert.Equal("eth_estimateGas", ex.Method);
        var error = ex.DecodeCustomError<Vault.BatchAlreadyPaidError>();
        Assert.NotNull(error);
        Assert.Equal(batchId, error.BatchId);
        Assert.Null(ex.DecodeCustomError<AccessControlUnauthorizedAccountError>());
        Assert.Equal(nonceBefore, await settler.Eth.GetTransactionCountAsync(AnvilNode.Account(SettlerAccount).ToString(), null, Ct));
        Assert.Equal(Dpin, await BalanceAsync(deployed.Token, recipients[0]));
        Assert.True(await settler.GetContractHandler(deployed.Vault).QueryAsync<Vault.IsBatchPaidFunction, bool>(new() { BatchId = batchId }, cancellationToken: Ct));
    }

    [Fact]
    public async Task Payout_by_a_non_settler_is_refused_with_AccessControlUnauthorizedAccount()
    {
        var deployed = await FundedVaultAsync(10 * Dpin);
        var admin = node.Client(Deployer);
        var batchId = RandomBytes32();

        var ex = await Assert.ThrowsAsync<RpcRevertException>(() => PayoutAsync(admin, deployed, batchId, [RandomAddress()], [Dpin]));

        var error = ex.DecodeCustomError<AccessControlUnauthorizedAccountError>();
        Assert.NotNull(error);
        Assert.Equal(AnvilNode.Account(Deployer), EthereumAddress.Parse(error.Account));
        var settlerRole = await admin.GetContractHandler(deployed.Vault).QueryAsync<Vault.SettlerRoleFunction, byte[]>(cancellationToken: Ct);
        Assert.Equal(settlerRole, error.NeededRole);
        Assert.False(await admin.GetContractHandler(deployed.Vault).QueryAsync<Vault.IsBatchPaidFunction, bool>(new() { BatchId = batchId }, cancellationToken: Ct));
    }

    [Fact]
    public async Task BurnFees_burns_vault_tokens_once_per_batch_and_emits_FeesBurned()
    {
        var deployed = await FundedVaultAsync(50 * Dpin);
        var settler = node.Client(SettlerAccount);
        var vault = settler.GetContractHandler(deployed.Vault);
        var batchId = RandomBytes32();

        var receipt = await vault.SendRequestAndWaitForReceiptAsync(new Vault.BurnFeesFunction { BatchId = batchId, Amount = 7 * Dpin }, Ct);

        Assert.True(receipt.Succeeded());
        var burned = Assert.Single(receipt.DecodeAllEvents<Vault.FeesBurnedEventDTO>());
        Assert.Equal(batchId, burned.Event.BatchId);
        Assert.Equal(7 * Dpin, burned.Event.Amount);
        Assert.Equal(43 * Dpin, await BalanceAsync(deployed.Token, deployed.Vault));
        Assert.Equal(43 * Dpin, await settler.GetContractHandler(deployed.Token).QueryAsync<Token.TotalSupplyFunction, BigInteger>(cancellationToken: Ct));
        Assert.True(await vault.QueryAsync<Vault.IsFeesBurnedFunction, bool>(new() { BatchId = batchId }, cancellationToken: Ct));
        var again = await Assert.ThrowsAsync<RpcRevertException>(() => vault.SendRequestAndWaitForReceiptAsync(new Vault.BurnFeesFunction { BatchId = batchId, Amount = Dpin }, Ct));
        Assert.Equal(batchId, again.DecodeCustomError<Vault.FeesAlreadyBurnedError>()?.BatchId);
    }

    private async Task<EthereumAddress> DeployedTokenAsync() => (await DeployAsync()).Token;

    private Task<DeployedContracts> DeployAsync() =>
        MarketContracts.DeployAsync(node.Client(Deployer), AnvilNode.Account(Deployer), AnvilNode.Account(SettlerAccount), Ct);

    /// <summary>Fresh contracts whose vault holds <paramref name="amount"/> deposited by the depositor.</summary>
    private async Task<DeployedContracts> FundedVaultAsync(BigInteger amount)
    {
        var deployed = await DeployAsync();
        await MarketContracts.MintAsync(node.Client(Deployer), deployed.Token, AnvilNode.Account(Depositor), amount, Ct);
        var depositor = node.Client(Depositor);
        await depositor.GetContractHandler(deployed.Token).SendRequestAndWaitForReceiptAsync(new Token.ApproveFunction { Spender = deployed.Vault.ToString(), Value = amount }, Ct);
        var receipt = await depositor.GetContractHandler(deployed.Vault).SendRequestAndWaitForReceiptAsync(new Vault.DepositFunction { Account = RandomBytes32(), Amount = amount }, Ct);
        Assert.True(receipt.Succeeded());
        return deployed;
    }

    private static Task<TransactionReceipt> PayoutAsync(ChainClient settler, DeployedContracts deployed, byte[] batchId, EthereumAddress[] recipients, BigInteger[] amounts) =>
        settler.GetContractHandler(deployed.Vault).SendRequestAndWaitForReceiptAsync(
            new Vault.PayoutFunction { BatchId = batchId, Recipients = [.. recipients.Select(r => r.ToString())], Amounts = [.. amounts] },
            Ct);

    private Task<BigInteger> BalanceAsync(EthereumAddress token, EthereumAddress holder) =>
        node.Client(account: null).GetContractHandler(token).QueryAsync<Token.BalanceOfFunction, BigInteger>(new() { Account = holder.ToString() }, cancellationToken: Ct);

    private static EthereumAddress RandomAddress() => new(RandomNumberGenerator.GetBytes(20));

    private static byte[] RandomBytes32() => RandomNumberGenerator.GetBytes(32);
}
