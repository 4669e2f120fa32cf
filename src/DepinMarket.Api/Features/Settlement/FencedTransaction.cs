using DepinMarket.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace DepinMarket.Api.Features.Settlement;

/// <summary>
/// A database transaction of the settlement worker that may write only while its lease is live: a DbContext of its
/// own scope, the transaction, and the fence taken first (<see cref="SettlementLease.FenceAsync"/>). Everything that
/// takes a nonce or changes a batch runs inside one.
/// </summary>
internal sealed class FencedTransaction : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;
    private readonly IDbContextTransaction _transaction;

    private FencedTransaction(AsyncServiceScope scope, MarketDbContext db, IDbContextTransaction transaction)
    {
        _scope = scope;
        Db = db;
        _transaction = transaction;
        Connection = (NpgsqlConnection)db.Database.GetDbConnection();
        Transaction = (NpgsqlTransaction)transaction.GetDbTransaction();
    }

    public MarketDbContext Db { get; }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    /// <exception cref="LeaseLostException">The lease is no longer this worker's; nothing was written.</exception>
    public static async Task<FencedTransaction> BeginAsync(IServiceScopeFactory scopes, SettlementLease lease, HeldLease held, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketDbContext>();
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var fenced = new FencedTransaction(scope, db, transaction);
            await lease.FenceAsync(fenced.Connection, fenced.Transaction, held, cancellationToken);
            return fenced;
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>Saves the tracked changes and commits.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Db.SaveChangesAsync(cancellationToken);
        await _transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _scope.DisposeAsync();
    }
}
