using System.Numerics;
using System.Security.Cryptography;
using DepinMarket.Chain.Contracts;
using DepinMarket.Chain.Contracts.DepinToken;
using DepinMarket.Chain.Crypto;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Eip712;
using DepinMarket.Chain.Hex;
using DepinMarket.Chain.Rpc;
using DepinMarket.Chain.Util;
using Xunit.Abstractions;
using Token = DepinMarket.Chain.Contracts.DepinToken.ContractDefinition;
using Vault = DepinMarket.Chain.Contracts.DepinVault.ContractDefinition;

namespace DepinMarket.Chain.Tests.Live;

/// <summary>
/// The gasless deposit against a real anvil: a fresh wallet holding DPIN and no ETH signs an ERC-2612 permit with the
/// library's <see cref="Eip712TypedDataSigner"/>, and the settler relays it through <c>DepinVault.depositWithPermit</c>.
/// Every test deploys its own contracts. Roles: dev account 0 deploys, 1 settles (relays), 3 is a stranger who sees
/// the signature and tries to use it first.
/// </summary>
[Collection(AnvilTestGroup.Name)]
public class PermitDepositLiveTests(AnvilNode node, ITestOutputHelper output)
{
    private const int Deployer = 0;
    private const int SettlerAccount = 1;
    private const int PlainDepositor = 2;
    private const int Stranger = 3;
    private static readonly BigInteger Dpin = BigInteger.Pow(10, 18);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Token_reports_the_EIP712_domain_the_library_builds()
    {
        var deployed = await DeployAsync();
        var token = node.Client(account: null).GetContractHandler(deployed.Token);

        var domain = await token.QueryDeserializingToObjectAsync<Token.Eip712DomainFunction, Token.Eip712DomainOutputDTO>(cancellationToken: Ct);
        var separator = await token.QueryAsync<Token.DomainSeparatorFunction, byte[]>(cancellationToken: Ct);

        var expected = DepinTokenPermitDomain.Create(AnvilNode.ChainId, deployed.Token);
        Assert.Equal("0x0f", domain.Fields.ToHex(prefix: true)); // name, version, chainId, verifyingContract; no salt
        Assert.Equal(expected.Name, domain.Name);
        Assert.Equal(expected.Version, domain.Version);
        Assert.Equal(expected.ChainId, domain.ChainId);
        Assert.Equal(deployed.Token, EthereumAddress.Parse(domain.VerifyingContract));
        Assert.Empty(domain.Extensions);
        Assert.Equal("DePIN Market Token", await token.QueryAsync<NameFunction, string>(cancellationToken: Ct));
        var typedData = DepinTokenPermitDomain.CreatePermit(AnvilNode.ChainId, deployed.Token, RandomAddress(), deployed.Vault, Dpin, 0, 1);
        Assert.Equal(Eip712TypedDataEncoder.Current.HashDomainSeparator(typedData).ToHex(prefix: true), separator.ToHex(prefix: true));
    }

    [Fact]
    public async Task Settler_relays_a_permit_from_a_wallet_without_ETH_and_the_vault_credits_the_account()
    {
        var (deployed, wallet, owner) = await FundedWalletAsync();
        var account = RandomBytes32();
        var permit = await SignPermitAsync(wallet, owner, deployed, 40 * Dpin, await DeadlineAsync());

        var receipt = await RelayAsync(deployed, account, permit);

        Assert.True(receipt.Succeeded());
        Assert.Equal(BigInteger.Zero, await node.Client(account: null).Eth.GetBalanceAsync(owner.ToString(), null, Ct));
        Assert.Equal(AnvilNode.Account(SettlerAccount), EthereumAddress.Parse(receipt.From));
        var deposited = Assert.Single(receipt.DecodeAllEvents<Vault.DepositedEventDTO>());
        Assert.Equal(account, deposited.Event.Account);
        Assert.Equal(owner, EthereumAddress.Parse(deposited.Event.From));
        Assert.Equal(40 * Dpin, deposited.Event.Amount);
        Assert.Equal(deployed.Vault, EthereumAddress.Parse(deposited.Log.Address));
        Assert.Equal(60 * Dpin, await BalanceAsync(deployed.Token, owner));
        Assert.Equal(40 * Dpin, await BalanceAsync(deployed.Token, deployed.Vault));
        Assert.Equal(BigInteger.One, await NonceAsync(deployed, owner));
        Assert.Equal(BigInteger.Zero, await AllowanceAsync(deployed, owner));
        output.WriteLine($"depositWithPermit gas used (relayer): {receipt.GasUsed}");
    }

    [Fact]
    public async Task A_permit_someone_submitted_first_still_deposits()
    {
        var (deployed, wallet, owner) = await FundedWalletAsync();
        var account = RandomBytes32();
        var permit = await SignPermitAsync(wallet, owner, deployed, 25 * Dpin, await DeadlineAsync());

        // The stranger copies the signature into token.permit: the nonce is spent, the vault holds the allowance.
        var frontRun = await node.Client(Stranger).GetContractHandler(deployed.Token).SendRequestAndWaitForReceiptAsync(
            new Token.PermitFunction
            {
                Owner = owner.ToString(), Spender = deployed.Vault.ToString(), Value = permit.Value, Deadline = permit.Deadline,
                V = permit.Signature.V, R = permit.Signature.R, S = permit.Signature.S,
            },
            Ct);
        Assert.True(frontRun.Succeeded());
        Assert.Equal(BigInteger.One, await NonceAsync(deployed, owner));

        var receipt = await RelayAsync(deployed, account, permit);

        Assert.True(receipt.Succeeded());
        // The permit inside the relay failed (no Approval of its own), the deposit went ahead on the front-run allowance.
        Assert.Empty(receipt.DecodeAllEvents<Token.ApprovalEventDTO>());
        var deposited = Assert.Single(receipt.DecodeAllEvents<Vault.DepositedEventDTO>());
        Assert.Equal(account, deposited.Event.Account);
        Assert.Equal(owner, EthereumAddress.Parse(deposited.Event.From));
        Assert.Equal(25 * Dpin, await BalanceAsync(deployed.Token, deployed.Vault));
        Assert.Equal(75 * Dpin, await BalanceAsync(deployed.Token, owner));
        Assert.Equal(BigInteger.One, await NonceAsync(deployed, owner));
    }

    [Fact]
    public async Task An_expired_permit_is_refused_with_ERC2612ExpiredSignature()
    {
        var (deployed, wallet, owner) = await FundedWalletAsync();
        var latest = (await node.Client(account: null).Eth.GetBlockByNumberAsync(BlockParameter.Latest, Ct))!.Timestamp;
        var permit = await SignPermitAsync(wallet, owner, deployed, 10 * Dpin, latest - 1);

        var ex = await Assert.ThrowsAsync<RpcRevertException>(() => RelayAsync(deployed, RandomBytes32(), permit));

        var error = ex.DecodeCustomError<Token.ERC2612ExpiredSignatureError>();
        Assert.NotNull(error);
        Assert.Equal(latest - 1, error.Deadline);
        await AssertNothingMovedAsync(deployed, owner, 100 * Dpin);
    }

    [Fact]
    public async Task A_permit_signed_by_someone_else_is_refused_with_ERC2612InvalidSigner()
    {
        var (deployed, wallet, owner) = await FundedWalletAsync();
        var impostor = EthECKey.GenerateKey();
        var permit = await SignPermitAsync(impostor, owner, deployed, 10 * Dpin, await DeadlineAsync());

        var ex = await Assert.ThrowsAsync<RpcRevertException>(() => RelayAsync(deployed, RandomBytes32(), permit));

        var error = ex.DecodeCustomError<Token.ERC2612InvalidSignerError>();
        Assert.NotNull(error);
        Assert.Equal(impostor.GetEthereumAddress(), EthereumAddress.Parse(error.Signer));
        Assert.Equal(owner, EthereumAddress.Parse(error.Owner));
        await AssertNothingMovedAsync(deployed, owner, 100 * Dpin);
    }

    [Fact]
    public async Task Replaying_a_used_permit_is_refused_and_moves_nothing()
    {
        var (deployed, wallet, owner) = await FundedWalletAsync();
        var permit = await SignPermitAsync(wallet, owner, deployed, 30 * Dpin, await DeadlineAsync());
        Assert.True((await RelayAsync(deployed, RandomBytes32(), permit)).Succeeded());

        var ex = await Assert.ThrowsAsync<RpcRevertException>(() => RelayAsync(deployed, RandomBytes32(), permit));

        // The nonce moved on, so the signature now recovers to some other address.
        var error = ex.DecodeCustomError<Token.ERC2612InvalidSignerError>();
        Assert.NotNull(error);
        Assert.Equal(owner, EthereumAddress.Parse(error.Owner));
        Assert.Equal(70 * Dpin, await BalanceAsync(deployed.Token, owner));
        Assert.Equal(30 * Dpin, await BalanceAsync(deployed.Token, deployed.Vault));
        Assert.Equal(BigInteger.One, await NonceAsync(deployed, owner));
    }

    [Fact]
    public async Task A_bad_signature_cannot_spend_an_allowance_given_for_a_plain_deposit()
    {
        // The owner approved the vault for an ordinary deposit(); a forged permit for that owner must not pull those
        // tokens into someone else's account through the front-run fallback.
        var deployed = await DeployAsync();
        var owner = AnvilNode.Account(PlainDepositor);
        await MintAsync(deployed, owner, 100 * Dpin);
        await node.Client(PlainDepositor).GetContractHandler(deployed.Token).SendRequestAndWaitForReceiptAsync(
            new Token.ApproveFunction { Spender = deployed.Vault.ToString(), Value = 50 * Dpin }, Ct);
        var forged = await SignPermitAsync(EthECKey.GenerateKey(), owner, deployed, 50 * Dpin, await DeadlineAsync());

        var ex = await Assert.ThrowsAsync<RpcRevertException>(() => RelayAsync(deployed, RandomBytes32(), forged));

        Assert.NotNull(ex.DecodeCustomError<Token.ERC2612InvalidSignerError>());
        Assert.Equal(100 * Dpin, await BalanceAsync(deployed.Token, owner));
        Assert.Equal(50 * Dpin, await AllowanceAsync(deployed, owner));
    }

    [Fact]
    public async Task Only_the_settler_may_relay_so_a_copied_signature_cannot_credit_another_account()
    {
        var (deployed, wallet, owner) = await FundedWalletAsync();
        var permit = await SignPermitAsync(wallet, owner, deployed, 20 * Dpin, await DeadlineAsync());

        // The signature does not name the account: relayed by anyone, a copy would credit the copier's account.
        var ex = await Assert.ThrowsAsync<RpcRevertException>(() => RelayAsync(deployed, RandomBytes32(), permit, node.Client(Stranger)));

        var error = ex.DecodeCustomError<AccessControlUnauthorizedAccountError>();
        Assert.NotNull(error);
        Assert.Equal(AnvilNode.Account(Stranger), EthereumAddress.Parse(error.Account));
        await AssertNothingMovedAsync(deployed, owner, 100 * Dpin);
    }

    [Fact]
    public async Task Zero_amount_and_zero_account_keep_their_custom_errors()
    {
        var (deployed, wallet, owner) = await FundedWalletAsync();
        var deadline = await DeadlineAsync();
        var zeroValue = await SignPermitAsync(wallet, owner, deployed, 0, deadline);
        var valid = await SignPermitAsync(wallet, owner, deployed, 10 * Dpin, deadline);

        var zeroAmount = await Assert.ThrowsAsync<RpcRevertException>(() => RelayAsync(deployed, RandomBytes32(), zeroValue));
        var zeroAccount = await Assert.ThrowsAsync<RpcRevertException>(() => RelayAsync(deployed, new byte[32], valid));

        Assert.NotNull(zeroAmount.DecodeCustomError<Vault.ZeroAmountError>());
        Assert.NotNull(zeroAccount.DecodeCustomError<Vault.ZeroAccountError>());
        await AssertNothingMovedAsync(deployed, owner, 100 * Dpin);
    }

    [Fact]
    public async Task Relayer_pays_all_the_gas_of_a_gasless_deposit_and_the_owner_none()
    {
        // Two deployments, so both measured deposits start from an empty vault and fresh holders alike.
        var forPermit = await DeployAsync();
        var forPlain = await DeployAsync();
        var wallet = EthECKey.GenerateKey();
        var owner = wallet.GetEthereumAddress();
        await MintAsync(forPermit, owner, 100 * Dpin);
        await MintAsync(forPlain, AnvilNode.Account(PlainDepositor), 100 * Dpin);
        var permit = await SignPermitAsync(wallet, owner, forPermit, 40 * Dpin, await DeadlineAsync());
        var eth = node.Client(account: null).Eth;
        var relayerBefore = await eth.GetBalanceAsync(AnvilNode.Account(SettlerAccount).ToString(), null, Ct);

        var relayed = await RelayAsync(forPermit, RandomBytes32(), permit);

        Assert.True(relayed.Succeeded());
        Assert.Equal(relayerBefore - (relayed.GasUsed * relayed.EffectiveGasPrice), await eth.GetBalanceAsync(AnvilNode.Account(SettlerAccount).ToString(), null, Ct));
        Assert.Equal(BigInteger.Zero, await eth.GetBalanceAsync(owner.ToString(), null, Ct));
        Assert.Equal(40 * Dpin, await BalanceAsync(forPermit.Token, forPermit.Vault));

        // The same deposit the ordinary way, for the figures: the depositor sends and pays two transactions.
        var depositor = node.Client(PlainDepositor);
        var approval = await depositor.GetContractHandler(forPlain.Token).SendRequestAndWaitForReceiptAsync(
            new Token.ApproveFunction { Spender = forPlain.Vault.ToString(), Value = 40 * Dpin }, Ct);
        var deposit = await depositor.GetContractHandler(forPlain.Vault).SendRequestAndWaitForReceiptAsync(
            new Vault.DepositFunction { Account = RandomBytes32(), Amount = 40 * Dpin }, Ct);
        Assert.True(approval.Succeeded() && deposit.Succeeded());
        Assert.Equal(40 * Dpin, await BalanceAsync(forPlain.Token, forPlain.Vault));
        output.WriteLine($"depositWithPermit: {relayed.GasUsed} gas (relayer); approve {approval.GasUsed} + deposit {deposit.GasUsed} = {approval.GasUsed + deposit.GasUsed} gas (depositor)");
    }

    private Task<DeployedContracts> DeployAsync() =>
        MarketContracts.DeployAsync(node.Client(Deployer), AnvilNode.Account(Deployer), AnvilNode.Account(SettlerAccount), Ct);

    /// <summary>Fresh contracts and a fresh wallet holding 100 DPIN and no ETH.</summary>
    private async Task<(DeployedContracts Deployed, EthECKey Wallet, EthereumAddress Owner)> FundedWalletAsync()
    {
        var deployed = await DeployAsync();
        var wallet = EthECKey.GenerateKey();
        var owner = wallet.GetEthereumAddress();
        await MintAsync(deployed, owner, 100 * Dpin);
        return (deployed, wallet, owner);
    }

    private Task<string> MintAsync(DeployedContracts deployed, EthereumAddress to, BigInteger amount) =>
        MarketContracts.MintAsync(node.Client(Deployer), deployed.Token, to, amount, Ct);

    /// <summary>An hour after the latest block, as a client asking the API for typed data would get.</summary>
    private async Task<BigInteger> DeadlineAsync() =>
        (await node.Client(account: null).Eth.GetBlockByNumberAsync(BlockParameter.Latest, Ct))!.Timestamp + 3600;

    /// <summary>
    /// <paramref name="signer"/> signs Permit(owner, vault, value, nonces(owner), deadline) in the token's domain, as a
    /// wallet's eth_signTypedData_v4 would.
    /// </summary>
    private async Task<SignedPermit> SignPermitAsync(EthECKey signer, EthereumAddress owner, DeployedContracts deployed, BigInteger value, BigInteger deadline)
    {
        var nonce = await NonceAsync(deployed, owner);
        var typedData = DepinTokenPermitDomain.CreatePermit(AnvilNode.ChainId, deployed.Token, owner, deployed.Vault, value, nonce, deadline);
        var signature = Eip712TypedDataSigner.Current.SignTypedDataV4(typedData, signer);
        return new SignedPermit(owner, value, deadline, EthECDSASignature.FromHex(signature));
    }

    private Task<TransactionReceipt> RelayAsync(DeployedContracts deployed, byte[] account, SignedPermit permit, ChainClient? relayer = null) =>
        (relayer ?? node.Client(SettlerAccount)).GetContractHandler(deployed.Vault).SendRequestAndWaitForReceiptAsync(
            new Vault.DepositWithPermitFunction
            {
                Account = account, Owner = permit.Owner.ToString(), Amount = permit.Value, Deadline = permit.Deadline,
                V = permit.Signature.V, R = permit.Signature.R, S = permit.Signature.S,
            },
            Ct);

    private async Task AssertNothingMovedAsync(DeployedContracts deployed, EthereumAddress owner, BigInteger ownerBalance)
    {
        Assert.Equal(ownerBalance, await BalanceAsync(deployed.Token, owner));
        Assert.Equal(BigInteger.Zero, await BalanceAsync(deployed.Token, deployed.Vault));
        Assert.Equal(BigInteger.Zero, await NonceAsync(deployed, owner));
    }

    private Task<BigInteger> NonceAsync(DeployedContracts deployed, EthereumAddress owner) =>
        node.Client(account: null).GetContractHandler(deployed.Token).QueryAsync<Token.NoncesFunction, BigInteger>(new() { Owner = owner.ToString() }, cancellationToken: Ct);

    private Task<BigInteger> AllowanceAsync(DeployedContracts deployed, EthereumAddress owner) =>
        node.Client(account: null).GetContractHandler(deployed.Token).QueryAsync<Token.AllowanceFunction, BigInteger>(
            new() { Owner = owner.ToString(), Spender = deployed.Vault.ToString() }, cancellationToken: Ct);

    private Task<BigInteger> BalanceAsync(EthereumAddress token, EthereumAddress holder) =>
        node.Client(account: null).GetContractHandler(token).QueryAsync<Token.BalanceOfFunction, BigInteger>(new() { Account = holder.ToString() }, cancellationToken: Ct);

    private static EthereumAddress RandomAddress() => new(RandomNumberGenerator.GetBytes(20));

    private static byte[] RandomBytes32() => RandomNumberGenerator.GetBytes(32);

    private sealed record SignedPermit(EthereumAddress Owner, BigInteger Value, BigInteger Deadline, EthECDSASignature Signature);
}
