using System.Globalization;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Tests.Live;

namespace DepinMarket.Api.Tests.Infrastructure;

/// <summary>
/// The API with a real chain: a private anvil (shared by the test process, or one of its own when
/// <see cref="OwnNode"/>), the token and vault freshly deployed by anvil's dev account 0, which the API uses as its
/// settler and token owner.
/// </summary>
public class ChainMarketApi : MarketApi
{
    private AnvilNode _anvil = new();

    public DeployedContracts Contracts { get; private set; } = null!;

    public AnvilNode Anvil => _anvil;

    /// <summary>Whether the API is told this chain is a test network (the faucet runs only there).</summary>
    protected virtual bool IsTestNetwork => true;

    /// <summary>
    /// The anvil dev account that deploys and settles. Fixtures running at once on the shared anvil each need
    /// their own, or their transactions race for the same nonces.
    /// </summary>
    protected virtual int SettlerAccount => 0;

    /// <summary>The anvil dev account of <see cref="SettlerAccount"/>: it owns the token, so tests mint with it.</summary>
    public int Settler => SettlerAccount;

    /// <summary>A node for this fixture alone, for tests that stop mining or replace contract code.</summary>
    protected virtual bool OwnNode => false;

    /// <summary>Extra chain settings of a class (e.g. a short receipt timeout).</summary>
    protected virtual IReadOnlyDictionary<string, string> ChainSettings => new Dictionary<string, string>();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(ChainSettings)
    {
        ["Chain:RpcUrl"] = _anvil.RpcUrl.ToString(),
        ["Chain:ChainId"] = AnvilNode.ChainId.ToString(CultureInfo.InvariantCulture),
        ["Chain:TokenAddress"] = Contracts.Token.ToString(),
        ["Chain:VaultAddress"] = Contracts.Vault.ToString(),
        ["Chain:IsTestNetwork"] = IsTestNetwork ? "true" : "false",
        ["Chain:ReceiptPollInterval"] = "00:00:00.025",
        ["Chain:SettlerPrivateKey"] = AnvilNode.DevKey(SettlerAccount),
        ["Faucet:AmountTokens"] = "250.5",
    };

    public override async Task InitializeAsync()
    {
        if (OwnNode)
        {
            _anvil = await AnvilNode.StartPrivateAsync();
        }
        await _anvil.InitializeAsync();
        var settler = AnvilNode.Account(SettlerAccount);
        Contracts = await MarketContracts.DeployAsync(_anvil.Client(SettlerAccount), settler, settler, CancellationToken.None);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _anvil.DisposeAsync();
    }

    /// <summary>Another API instance on this database and this chain with the same settings (settler key included), as behind a load balancer; the caller starts and disposes it.</summary>
    public MarketApi SecondInstance() => new Instance(Settings, ConnectionString);

    private sealed class Instance(IReadOnlyDictionary<string, string> settings, string database) : MarketApi
    {
        protected override IReadOnlyDictionary<string, string> Settings => settings;

        protected override Task<string> CreateDatabaseAsync() => Task.FromResult(database);
    }
}
