using DepinMarket.Domain.Accounts;
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

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MarketDbContext).Assembly);
        SnakeCaseNames.Apply(modelBuilder);
    }
}
