using System.Numerics;
using DepinMarket.Api.Features.Ledger;
using DepinMarket.Api.Features.Rentals;
using DepinMarket.Domain.Ledger;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Rentals;
using Npgsql;
using NpgsqlTypes;

/// <summary>
/// The metering benchmark's market, written straight into a migrated database with a few set-based statements:
/// providers with two compute offers each, clients with their rentals, all active since <c>start</c> and metered up to
/// it. The money is posted as the API would have posted it, so the ledger check is clean before the first pass: a
/// deposit per client (chain to available), then an escrow journal per rental (available to escrow, price and
/// client fee). The rentals' escrow comes from the Domain (<see cref="Rental.ForTerm"/>, then
/// <see cref="Rental.Accept"/>), so it is exactly what <c>POST /v1/rentals</c> would have escrowed.
/// </summary>
internal static class MeteringSeed
{
    private const int OffersPerProvider = 2;
    private const int GpusPerOffer = 64;

    /// <summary>Long enough that no pass of the benchmark ends a rental: every pass charges every rental.</summary>
    public static readonly TimeSpan Term = TimeSpan.FromDays(30);

    public static async Task SeedAsync(NpgsqlDataSource dataSource, int clients, int rentalsPerClient, int providers, DateTimeOffset start)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var existing = new NpgsqlCommand("select count(*) from rentals", connection))
        {
            if ((long)(await existing.ExecuteScalarAsync())! > 0)
            {
                throw new InvalidOperationException("metering needs a database without rentals (a fresh one): it charges every active rental it finds.");
            }
        }
        await using var transaction = await connection.BeginTransactionAsync();
        var created = start.AddMinutes(-10);
        var providerIds = Enumerable.Range(0, providers).Select(_ => Guid.CreateVersion7()).ToArray();
        var clientIds = Enumerable.Range(0, clients).Select(_ => Guid.CreateVersion7()).ToArray();
        await InsertAccountsAsync(connection, transaction, providerIds, clientIds, created);

        // Offer prices differ a little (2.00 to 2.95 tokens per GPU-hour), so charges are not all the same number.
        var offers = providerIds.SelectMany((provider, p) => Enumerable.Range(0, OffersPerProvider).Select(i =>
            (Id: Guid.CreateVersion7(), Provider: provider, Price: new TokenAmount(TokenAmount.FromWholeTokens(200 + (p * OffersPerProvider + i) % 20 * 5).BaseUnits / 100)))).ToArray();
        var fees = new FeeOptions().Schedule;
        var rentals = new List<Rental>(clients * rentalsPerClient);
        for (var c = 0; c < clients; c++)
        {
            for (var i = 0; i < rentalsPerClient; i++)
            {
                var offer = offers[(c * rentalsPerClient + i) % offers.Length];
                var rental = Rental.ForTerm(Guid.CreateVersion7(), RentalKind.Compute, offer.Id, clientIds[c], offer.Provider, 1,
                    (long)Term.TotalSeconds, offer.Price, fees, created, TimeSpan.FromMinutes(15));
                rental.Accept(null, start);
                rentals.Add(rental);
            }
        }
        if (rentals.GroupBy(r => r.OfferId).Any(g => g.Sum(r => r.Quantity) > GpusPerOffer))
        {
            throw new ArgumentException($"too many rentals for {offers.Length} offers of {GpusPerOffer} GPUs: add providers.");
        }
        await InsertOffersAsync(connection, transaction, offers, rentals, created);
        await InsertRentalsAsync(connection, transaction, rentals, created);
        await PostEscrowAsync(connection, transaction, clientIds, rentals, created);
        await transaction.CommitAsync();
        await using var analyze = new NpgsqlCommand("analyze", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task InsertAccountsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid[] providers, Guid[] clients, DateTimeOffset now)
    {
        var ids = providers.Concat(clients).ToArray();
        await using var command = new NpgsqlCommand("""
            insert into accounts (id, display_name, is_provider, is_client, wallet_address, created_at)
            select a.id, case when a.n <= @providers then 'bench provider' else 'bench client' end, a.n <= @providers, a.n > @providers,
                   '0x' || lpad(to_hex(a.n), 40, '0'), @now
            from unnest(@ids) with ordinality as a(id, n);
            insert into ledger_accounts (account_id, kind) select a, k from unnest(@ids) as a cross join unnest(@kinds) as k;
            """, connection, transaction);
        command.Parameters.Add(Uuids("ids", ids));
        command.Parameters.AddWithValue("providers", (long)providers.Length);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = LedgerAccountKinds.PerMarketAccount.Select(k => k.Text()).ToArray(),
        });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task InsertOffersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        (Guid Id, Guid Provider, TokenAmount Price)[] offers, List<Rental> rentals, DateTimeOffset now)
    {
        var taken = rentals.GroupBy(r => r.OfferId).ToDictionary(g => g.Key, g => g.Sum(r => r.Quantity));
        await using var command = new NpgsqlCommand($"""
            insert into compute_offers (id, provider_id, status, created_at, updated_at, gpu_model, gpu_short_name, gpu_count, vram_gb_per_gpu,
                cpu_cores, ram_gb, disk_gb, country_code, price_per_gpu_hour, min_hours, max_hours, gpus_available)
            select o.id, o.provider, 'active', @now, @now, 'NVIDIA H100 80GB', 'H100', {GpusPerOffer}, 80, 32, 512, 2000, 'DE', o.price, 1, 720, o.available
            from unnest(@ids, @providers, @prices, @available) as o(id, provider, price, available)
            """, connection, transaction);
        command.Parameters.Add(Uuids("ids", offers.Select(o => o.Id).ToArray()));
        command.Parameters.Add(Uuids("providers", offers.Select(o => o.Provider).ToArray()));
        command.Parameters.Add(Numerics("prices", offers.Select(o => o.Price.BaseUnits)));
        command.Parameters.Add(new NpgsqlParameter("available", NpgsqlDbType.Array | NpgsqlDbType.Integer)
        {
            Value = offers.Select(o => GpusPerOffer - (int)taken.GetValueOrDefault(o.Id)).ToArray(),
        });
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task InsertRentalsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<Rental> rentals, DateTimeOffset created)
    {
        // Every rental was created, accepted and metered at the same instants; only who, what and the money differ.
        var first = rentals[0];
        await using var command = new NpgsqlCommand("""
            insert into rentals (id, kind, offer_id, client_id, provider_id, status, quantity, term_seconds, unit_price,
                client_reservation_bps, provider_reservation_bps, platform_bps, burn_share_bps, escrowed, escrowed_fee,
                created_at, accept_by, started_at, ends_at, metered_until)
            select r.id, 'compute', r.offer, r.client, r.provider, 'active', r.quantity, @term, r.price,
                @client_bps, @provider_bps, @platform_bps, @burn_bps, r.escrowed, r.fee,
                @created, @accept_by, @started, @ends, @started
            from unnest(@ids, @offers, @clients, @providers, @quantities, @prices, @escrowed, @fees)
                as r(id, offer, client, provider, quantity, price, escrowed, fee)
            """, connection, transaction);
        command.Parameters.Add(Uuids("ids", rentals.Select(r => r.Id).ToArray()));
        command.Parameters.Add(Uuids("offers", rentals.Select(r => r.OfferId).ToArray()));
        command.Parameters.Add(Uuids("clients", rentals.Select(r => r.ClientId).ToArray()));
        command.Parameters.Add(Uuids("providers", rentals.Select(r => r.ProviderId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("quantities", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rentals.Select(r => r.Quantity).ToArray() });
        command.Parameters.Add(Numerics("prices", rentals.Select(r => r.UnitPrice.BaseUnits)));
        command.Parameters.Add(Numerics("escrowed", rentals.Select(r => r.Escrowed.BaseUnits)));
        command.Parameters.Add(Numerics("fees", rentals.Select(r => r.EscrowedFee.BaseUnits)));
        command.Parameters.AddWithValue("term", first.TermSeconds!.Value);
        command.Parameters.AddWithValue("client_bps", first.ClientReservationBps);
        command.Parameters.AddWithValue("provider_bps", first.ProviderReservationBps);
        command.Parameters.AddWithValue("platform_bps", first.PlatformBps);
        command.Parameters.AddWithValue("burn_bps", first.BurnShareBps);
        command.Parameters.AddWithValue("created", created);
        command.Parameters.AddWithValue("accept_by", first.AcceptBy);
        command.Parameters.AddWithValue("started", first.StartedAt!.Value);
        command.Parameters.AddWithValue("ends", first.EndsAt!.Value);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A deposit per client of what its rentals escrow plus 100 tokens, then an escrow journal per rental; the
    /// postings' running balances and the final balances are computed here, journal by journal in id order.
    /// </summary>
    private static async Task PostEscrowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid[] clients, List<Rental> rentals, DateTimeOffset now)
    {
        var ledgers = await MarketLedgerAccounts.ReadManyAsync(connection, transaction, clients, CancellationToken.None);
        var byClient = rentals.ToLookup(r => r.ClientId);
        var drafts = new List<(string Kind, string Reference, bool External, (long Account, BigInteger Amount)[] Lines)>();
        foreach (var client in clients)
        {
            var ledger = ledgers[client];
            var deposit = byClient[client].Aggregate(BigInteger.Zero, (sum, r) => sum + r.Held.BaseUnits) + TokenAmount.FromWholeTokens(100).BaseUnits;
            drafts.Add(("deposit", $"bench-deposit:{client}", true, [(PlatformLedgerAccounts.Chain, -deposit), (ledger[LedgerAccountKind.Available], deposit)]));
            foreach (var rental in byClient[client])
            {
                var held = rental.Held.BaseUnits;
                drafts.Add(("rental_escrow", $"rental:{rental.Id}", false,
                    [(ledger[LedgerAccountKind.Available], -held), (ledger[LedgerAccountKind.Escrow], held)]));
            }
        }

        var journalIds = new long[drafts.Count];
        await using (var insert = new NpgsqlCommand("""
            insert into journals (kind, reference, external, created_at)
            select j.kind, j.reference, j.external, @now from unnest(@kinds, @references, @externals) with ordinality as j(kind, reference, external, n)
            order by j.n
            returning id, reference
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = drafts.Select(d => d.Kind).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("references", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = drafts.Select(d => d.Reference).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("externals", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = drafts.Select(d => d.External).ToArray() });
            insert.Parameters.AddWithValue("now", now);
            var index = drafts.Select((d, i) => (d.Reference, i)).ToDictionary(x => x.Reference, x => x.i);
            await using var reader = await insert.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                journalIds[index[reader.GetString(1)]] = reader.GetInt64(0);
            }
        }

        var balances = new Dictionary<long, BigInteger>();
        var postings = new List<(long Journal, long Account, BigInteger Amount, BigInteger After)>();
        foreach (var i in Enumerable.Range(0, drafts.Count).OrderBy(i => journalIds[i]))
        {
            foreach (var (account, amount) in drafts[i].Lines)
            {
                var after = balances[account] = balances.GetValueOrDefault(account) + amount;
                postings.Add((journalIds[i], account, amount, after));
            }
        }
        await using var write = new NpgsqlCommand("""
            insert into postings (journal_id, ledger_account_id, amount, balance_after)
            select p.journal, p.account, p.amount, p.after from unnest(@journals, @accounts, @amounts, @afters) with ordinality as p(journal, account, amount, after, n) order by p.n;
            update ledger_accounts l set balance = b.balance from unnest(@ids, @balances) as b(id, balance) where l.id = b.id;
            """, connection, transaction);
        write.Parameters.Add(Bigints("journals", postings.Select(p => p.Journal).ToArray()));
        write.Parameters.Add(Bigints("accounts", postings.Select(p => p.Account).ToArray()));
        write.Parameters.Add(Numerics("amounts", postings.Select(p => p.Amount)));
        write.Parameters.Add(Numerics("afters", postings.Select(p => p.After)));
        write.Parameters.Add(Bigints("ids", balances.Keys.ToArray()));
        write.Parameters.Add(Numerics("balances", balances.Values));
        await write.ExecuteNonQueryAsync();
    }

    private static NpgsqlParameter Uuids(string name, Guid[] values) => new(name, NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = values };

    private static NpgsqlParameter Bigints(string name, long[] values) => new(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = values };

    private static NpgsqlParameter Numerics(string name, IEnumerable<BigInteger> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Numeric) { Value = values.ToArray() };
}
