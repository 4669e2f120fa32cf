using DepinMarket.Api.Data.Configurations;
using DepinMarket.Domain.Rentals;
using DepinMarket.Domain.Accounts;
using DepinMarket.Domain.Auth;
using DepinMarket.Domain.Deposits;
using DepinMarket.Domain.Faucet;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Nodes;
using DepinMarket.Domain.Offers;
using Microsoft.EntityFrameworkCore;

namespace DepinMarket.Api.Data;

/// <summary>
/// The marketplace's tables. Handlers and services use it directly (no repository layer on top);
/// the schema itself lives in the SQL migrations beside this file, and a test checks the two agree.
/// </summary>
public sealed class MarketDbContext(DbContextOptions<MarketDbContext> options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<ComputeOffer> ComputeOffers => Set<ComputeOffer>();

    public DbSet<StorageOffer> StorageOffers => Set<StorageOffer>();

    public DbSet<ModelOffer> ModelOffers => Set<ModelOffer>();

    public DbSet<WalletChallenge> WalletChallenges => Set<WalletChallenge>();

    public DbSet<FaucetGrant> FaucetGrants => Set<FaucetGrant>();

    public DbSet<LedgerAccount> LedgerAccounts => Set<LedgerAccount>();

    public DbSet<Journal> Journals => Set<Journal>();

    public DbSet<Posting> Postings => Set<Posting>();

    public DbSet<Withdrawal> Withdrawals => Set<Withdrawal>();

    public DbSet<DepositRelay> DepositRelays => Set<DepositRelay>();

    public DbSet<Rental> Rentals => Set<Rental>();

    public DbSet<RentalEvent> RentalEvents => Set<RentalEvent>();

    public DbSet<RentalCharge> RentalCharges => Set<RentalCharge>();

    public DbSet<SpendCap> SpendCaps => Set<SpendCap>();

    public DbSet<SpendDay> SpendDays => Set<SpendDay>();

    public DbSet<Node> Nodes => Set<Node>();

    /// <summary>
    /// Every <see cref="TokenAmount"/> column is base units in numeric(78,0), which holds any uint256 (78 digits),
    /// so entities carry the type and no configuration repeats the column type. <see cref="TokenDelta"/> (postings,
    /// signed balances) is stored the same way.
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<TokenAmount>().HaveConversion<TokenAmountConverter>().HaveColumnType("numeric(78,0)");
        configurationBuilder.Properties<TokenDelta>().HaveConversion<TokenDeltaConverter>().HaveColumnType("numeric(78,0)");
        // Amounts in query expressions that are not columns (a function's arguments and result) map the same way.
        configurationBuilder.DefaultTypeMapping<TokenAmount>().HasConversion<TokenAmountConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MarketDbContext).Assembly);
        SnakeCaseNames.Apply(modelBuilder);
        PostgresConstraintNames.Apply(modelBuilder);
        Features.Offers.Search.PricePerReputation.Register(modelBuilder);
    }
}
