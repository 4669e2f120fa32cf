using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DepinMarket.Api.Tests;

/// <summary>
/// The ledger's property test (<see cref="LedgerPropertyTests"/>) carried to rentals: random rentals of the three
/// kinds, accepts, declines, cancels, early stops, terminations, extensions, usage reports and metering passes with
/// random clock advances, all through the public API from parallel clients at once. Whatever the interleaving, every
/// base unit is accounted for — per rental, per account and in total — and every GPU and gigabyte taken is given
/// back. Seeded: the seed is in every assertion message.
/// </summary>
public sealed class RentalPropertyTests(RentalApi api) : IClassFixture<RentalApi>
{
    private const int Providers = 3;
    private const int Clients = 6;
    private const int Workers = 8;
    private const int OperationsPerWorker = 125;
    private const int OfferGpus = 16;
    private const long OfferGigabytes = 5_000;

    private static readonly string[] Funds = ["4", "40", "200"];

    [Fact]
    public async Task A_thousand_random_rental_moves_from_eight_parallel_clients_conserve_every_base_unit()
    {
        var seed = Environment.TickCount;
        var providers = new List<Provider>();
        for (var i = 0; i < Providers; i++)
        {
            var account = await api.SignUpAsync("provider");
            // Odd prices, so every rounding down is exercised.
            providers.Add(new Provider(account,
                await account.PublishOfferAsync("compute", Scenario.ComputeOffer(price: $"1.23456789012345678{i}", gpus: OfferGpus)),
                await account.PublishOfferAsync("storage", RentalMarkets.StorageOffer(price: $"0.0123456789{i}", capacityGb: OfferGigabytes)),
                await account.PublishOfferAsync("model", RentalMarkets.ModelOffer(inputPrice: $"0.7{i}", outputPrice: $"2.3{i}"))));
        }
        var clients = new List<TestAccount>();
        var funded = new Dictionary<Guid, string>();
        for (var i = 0; i < Clients; i++)
        {
            var client = await api.SignUpAsync("client");
            funded[client.Id] = Funds[i % Funds.Length];
            await api.FundAsync(client.Id, funded[client.Id]);
            clients.Add(client);
        }
        // One client with a daily spend cap, so the cap's refusals race with everything else too.
        Assert.Equal(HttpStatusCode.OK, (await clients[0].Http.PutAsJsonAsync("/v1/accounts/me/spend-cap", new { perDay = "40" })).StatusCode);

        var run = new Run(seed, () => string.Join("\n", api.Logs.Lines.Where(l => l.Contains("Unhandled", StringComparison.Ordinal)).TakeLast(3)));
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkAsync(new Random(seed + w), run, providers, clients))));
        // With rentals still pending and running, escrow held...
        await AssertConservedAsync(run, providers, clients, funded, allEnded: false);

        // ...and once every one has ended: model budgets stopped, then a pass far ahead ends every term and expires
        // every pending rental, so all escrow is charged or refunded and all capacity is back.
        foreach (var open in run.Rentals.Where(r => r.Kind == "model"))
        {
            if ((await open.Client.RentalAsync(open.Id))["status"].Text() == "active")
            {
                await open.Client.ActAsync(open.Id, "stop");
            }
        }
        api.Clock.Advance(TimeSpan.FromDays(400));
        await api.MeterAsync();
        await AssertConservedAsync(run, providers, clients, funded, allEnded: true);
    }

    private async Task WorkAsync(Random random, Run run, List<Provider> providers, List<TestAccount> clients)
    {
        for (var n = 0; n < OperationsPerWorker; n++)
        {
            var roll = random.Next(100);
            if (roll < 8)
            {
                api.Clock.Advance(TimeSpan.FromSeconds(random.Next(1, 400)));
                await api.MeterAsync();
                run.Count("meter", 200);
                continue;
            }
            if (roll < 28 || run.Rentals.Length == 0)
            {
                await CreateAsync(random, run, providers[random.Next(providers.Count)], clients[random.Next(clients.Count)]);
                continue;
            }
            // Accepts go mostly to the newest rentals (still pending), usage reports to the newest accepted model rentals.
            var rental = roll >= 73 ? run.PickAccepted(random) : run.Pick(random, newest: roll < 43 ? 6 : 12);
            var (action, account, method, body) = roll switch
            {
                < 43 => ("accept", rental.Provider, HttpMethod.Post, (object?)new { access = new Dictionary<string, string> { ["endpoint"] = $"host-{random.Next(1000)}" } }),
                < 46 => ("decline", rental.Provider, HttpMethod.Post, null),
                < 50 => ("cancel", rental.Client, HttpMethod.Post, null),
                < 57 => ("stop", rental.Client, HttpMethod.Post, null),
                < 61 => ("terminate", rental.Provider, HttpMethod.Post, null),
                < 69 => ("extend", rental.Client, HttpMethod.Post, rental.Kind switch
                {
                    "compute" => new { hours = random.Next(1, 3) },
                    "storage" => (object)new { days = random.Next(1, 6) },
                    _ => new { budget = $"0.{random.Next(1, 99)}" },
                }),
                < 73 => ("access", rental.Provider, HttpMethod.Put, new { access = new Dictionary<string, string> { ["endpoint"] = $"moved-{random.Next(1000)}" } }),
                _ => ("usage", rental.Provider, HttpMethod.Post, Usage(random)),
            };
            var response = method == HttpMethod.Put
                ? await account.Http.PutAsJsonAsync($"/v1/rentals/{rental.Id}/{action}", body)
                : await account.Http.PostMoneyAsync($"/v1/rentals/{rental.Id}/{action}", body);
            await run.ExpectAsync(action, response, HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.PaymentRequired, HttpStatusCode.Conflict);
            if (action == "accept" && response.StatusCode == HttpStatusCode.OK && rental.Kind == "model")
            {
                run.Accepted(rental);
            }
        }
    }

    /// <summary>A rental of a random kind; now and then the same request again under the same key, which must replay.</summary>
    private static async Task CreateAsync(Random random, Run run, Provider provider, TestAccount client)
    {
        var kind = random.Next(3) switch { 0 => "compute", 1 => "storage", _ => "model" };
        object request = kind switch
        {
            "compute" => new { kind, offerId = provider.Compute, gpus = random.Next(1, 5), hours = random.Next(1, 4) },
            "storage" => new { kind, offerId = provider.Storage, gigabytes = random.Next(1, 400), days = random.Next(30, 61) },
            _ => new { kind, offerId = provider.Model, budget = $"{random.Next(0, 5)}.{random.Next(1, 999_999)}" },
        };
        var key = Guid.NewGuid().ToString();
        var response = await client.Http.PostMoneyAsync("/v1/rentals", request, key);
        await run.ExpectAsync("create", response, HttpStatusCode.Created, HttpStatusCode.PaymentRequired, HttpStatusCode.Conflict);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return;
        }
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!.IdOf();
        run.Add(new RentalRef(id, kind, client, provider.Account));
        if (random.Next(10) == 0)
        {
            var replay = await client.Http.PostMoneyAsync("/v1/rentals", request, key);
            Assert.True(replay.Headers.Contains("Idempotent-Replayed"), $"seed {run.Seed}: a repeated create was not replayed: {await replay.Content.ReadAsStringAsync()}");
            Assert.Equal(id, (await replay.Content.ReadFromJsonAsync<JsonObject>())!.IdOf());
            run.Count("create-replay", 201);
        }
    }

    /// <summary>A usage report whose counts follow from its request id, so a repeated id is a replay; one in ten ids is new.</summary>
    private static object Usage(Random random)
    {
        var n = random.Next(10) == 0 ? random.Next(1000, 1_000_000) : random.Next(20);
        return new { requestId = $"req-{n}", inputTokens = 1_000 + (n % 20) * 20_000, outputTokens = 500 + (n % 7) * 30_000 };
    }

    private async Task AssertConservedAsync(Run run, List<Provider> providers, List<TestAccount> clients, Dictionary<Guid, string> funded, bool allEnded)
    {
        var because = $"seed {run.Seed}, {(allEnded ? "all ended" : "some open")}; outcomes {run.Describe()}";
        await api.AssertLedgerCleanAsync();
        var dataSource = api.Services.GetRequiredService<NpgsqlDataSource>();

        // Per rental: what the ledger moved agrees with the rental's running totals, and those add up.
        var rentals = await RowsAsync(dataSource, """
            select r.id, r.status, r.escrowed + r.escrowed_fee, r.charged, r.charged_client_fee, r.refunded,
                coalesce((select sum(p.amount) from journals j join postings p on p.journal_id = j.id join ledger_accounts a on a.id = p.ledger_account_id
                          where j.kind = 'rental_escrow' and j.reference = 'rental:' || r.id and a.kind = 'escrow'), 0),
                coalesce((select -sum(p.amount) from journals j join postings p on p.journal_id = j.id join ledger_accounts a on a.id = p.ledger_account_id
                          where j.kind = 'rental_charge' and j.reference = 'rental:' || r.id || ':charge' and a.kind = 'escrow'), 0),
                coalesce((select -sum(p.amount) from journals j join postings p on p.journal_id = j.id join ledger_accounts a on a.id = p.ledger_account_id
                          where j.kind = 'rental_refund' and j.reference = 'rental:' || r.id and a.kind = 'escrow'), 0),
                coalesce((select sum(c.usage) from rental_charges c where c.rental_id = r.id), 0),
                coalesce((select sum(c.client_fee) from rental_charges c where c.rental_id = r.id), 0)
            from rentals r
            """);
        Assert.True(rentals.Count == run.Rentals.Length, $"{because}: {rentals.Count} rentals stored, {run.Rentals.Length} created");
        var totalHeld = BigInteger.Zero;
        foreach (var r in rentals)
        {
            var (id, status, escrowed, charged, chargedFee, refunded) = ((Guid)r[0], (string)r[1], (BigInteger)r[2], (BigInteger)r[3], (BigInteger)r[4], (BigInteger)r[5]);
            var (escrowIn, chargedOut, refundedOut, usage, clientFee) = ((BigInteger)r[6], (BigInteger)r[7], (BigInteger)r[8], (BigInteger)r[9], (BigInteger)r[10]);
            var held = escrowIn - chargedOut - refundedOut;
            var what = $"{because}: rental {id} ({status})";
            Assert.True(escrowIn == escrowed, $"{what}: escrow journals moved {escrowIn}, the rental says {escrowed}");
            Assert.True(chargedOut == charged + chargedFee, $"{what}: charge journals took {chargedOut} from escrow, the rental says {charged} + {chargedFee}");
            Assert.True(usage == charged && clientFee == chargedFee, $"{what}: its charges sum to {usage} + {clientFee}, the rental says {charged} + {chargedFee}");
            Assert.True(refundedOut == refunded, $"{what}: refund journals moved {refundedOut}, the rental says {refunded}");
            Assert.True(charged + chargedFee + refunded + held == escrowed && held >= 0, $"{what}: {charged} + {chargedFee} + {refunded} + held {held} ≠ {escrowed}");
            // Ended rentals hold nothing; open ones have refunded nothing yet.
            var open = status is "pending" or "active";
            Assert.True(open ? refunded == 0 && !allEnded : held == 0, $"{what}: holds {held}, refunded {refunded}");
            totalHeld += held;
        }

        // In total: what rentals hold is what the escrow accounts hold; nothing is negative.
        var totals = (await RowsAsync(dataSource, """
            select coalesce(sum(balance) filter (where kind = 'escrow'), 0), count(*) filter (where balance < 0 and kind <> 'chain') from ledger_accounts
            """)).Single();
        Assert.True((BigInteger)totals[0] == totalHeld, $"{because}: escrow balances {totals[0]}, rentals hold {totalHeld}");
        Assert.True((long)totals[1] == 0, $"{because}: {totals[1]} ledger accounts below zero");

        // Per account: each client has what it was funded with less what its charges took; each provider earned
        // exactly its charges' earnings; the fees and burn accounts hold exactly the charges' fees and burn.
        var accounts = await RowsAsync(dataSource, """
            select a.account_id, a.kind, a.balance from ledger_accounts a where a.account_id is not null and a.balance <> 0
            union all
            select null, a.kind, a.balance from ledger_accounts a where a.kind in ('fees', 'burn')
            """);
        BigInteger Balance(Guid? account, string kind) =>
            accounts.Where(a => (a[0] is Guid g ? g : (Guid?)null) == account && (string)a[1] == kind).Select(a => (BigInteger)a[2]).FirstOrDefault();
        var charges = await RowsAsync(dataSource, """
            select r.client_id, r.provider_id, c.usage + c.client_fee, c.provider_earnings, c.client_fee + c.platform_fee + c.provider_fee - c.burn, c.burn, c.unit
            from rental_charges c join rentals r on r.id = c.rental_id
            """);
        foreach (var client in clients)
        {
            var paid = charges.Where(c => (Guid)c[0] == client.Id).Aggregate(BigInteger.Zero, (s, c) => s + (BigInteger)c[2]);
            var funds = DepinMarket.Domain.Money.TokenAmount.Parse(funded[client.Id]).BaseUnits;
            Assert.True(Balance(client.Id, "available") + Balance(client.Id, "escrow") == funds - paid,
                $"{because}: client {client.Id} has {Balance(client.Id, "available")} + {Balance(client.Id, "escrow")}, funded {funds}, charged {paid}");
        }
        foreach (var provider in providers)
        {
            var earned = charges.Where(c => (Guid)c[1] == provider.Account.Id).Aggregate(BigInteger.Zero, (s, c) => s + (BigInteger)c[3]);
            Assert.True(Balance(provider.Account.Id, "earnings") == earned, $"{because}: provider {provider.Account.Id} earned {Balance(provider.Account.Id, "earnings")}, its charges say {earned}");
        }
        Assert.Equal(charges.Aggregate(BigInteger.Zero, (s, c) => s + (BigInteger)c[4]), Balance(null, "fees"));
        Assert.Equal(charges.Aggregate(BigInteger.Zero, (s, c) => s + (BigInteger)c[5]), Balance(null, "burn"));

        // Every GPU and gigabyte is either left on its offer or held by an open rental of it, never both, never neither.
        var capacity = await RowsAsync(dataSource, """
            select o.gpus_available::bigint, o.gpu_count::bigint, coalesce((select sum(r.quantity) from rentals r where r.offer_id = o.id and r.status in ('pending', 'active')), 0)::bigint
            from compute_offers o
            union all
            select o.available_gb, o.capacity_gb, coalesce((select sum(r.quantity) from rentals r where r.offer_id = o.id and r.status in ('pending', 'active')), 0)::bigint
            from storage_offers o
            """);
        Assert.All(capacity, c => Assert.True((long)c[0] + (long)c[2] == (long)c[1], $"{because}: an offer has {c[0]} of {c[1]} left and open rentals hold {c[2]}"));
        if (!allEnded)
        {
            Assert.True(totalHeld > 0, $"{because}: no escrow held by open rentals, so the held part was not exercised");
            return;
        }

        // Not a vacuous run: money really moved every way, and the rentals ended every way.
        var statuses = (await RowsAsync(dataSource, "select status || coalesce(':' || end_reason, ''), count(*) from rentals group by 1"))
            .ToDictionary(s => (string)s[0], s => (long)s[1]);
        var refunds = (long)(await RowsAsync(dataSource, "select count(*) from journals where kind = 'rental_refund'")).Single()[0];
        var warnings = (long)(await RowsAsync(dataSource, "select count(*) from rental_events where type = 'charge_warning'")).Single()[0];
        var extended = (long)(await RowsAsync(dataSource, "select count(distinct rental_id) from rental_events where type = 'extended'")).Single()[0];
        because += $"; statuses {string.Join(", ", statuses.Select(s => $"{s.Key} {s.Value}"))}; refunds {refunds}, warnings {warnings}, extended {extended}";
        // The bars sit well below what any seed gave (compute 95-268, storage 12-36, token 22-85, refunds 105-151,
        // extended 14-31, warnings 4-14 over nine seeds), so a failure means the run stopped exercising something.
        Assert.True(charges.Count(c => (string)c[6] == "gpu_second") >= 40, $"{because}: too few compute charges");
        Assert.True(charges.Count(c => (string)c[6] == "gb_hour") >= 4, $"{because}: too few storage charges");
        Assert.True(charges.Count(c => (string)c[6] == "token") >= 10, $"{because}: too few usage charges");
        Assert.True(refunds >= 40, $"{because}: too few refunds");
        Assert.True(extended >= 5 && warnings >= 2, $"{because}: too few extensions or warnings");
        foreach (var end in new[] { "completed:term_ended", "completed:client_stopped", "cancelled:client_cancelled", "declined:provider_declined",
                     "terminated:provider_fault", "terminated:insufficient_funds", "expired:acceptance_timeout" })
        {
            Assert.True(statuses.GetValueOrDefault(end) > 0, $"{because}: no rental ended {end}");
        }
        Assert.True(run.Seen("create", 402) && run.Seen("usage", 200) && run.Seen("usage", 201) && run.Seen("accept", 409),
            $"{because}: refusals and replays were not exercised");
    }

    private static async Task<List<object[]>> RowsAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? DBNull.Value
                    : reader.GetDataTypeName(i).StartsWith("numeric", StringComparison.Ordinal) ? reader.GetFieldValue<BigInteger>(i)
                    : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    private sealed record Provider(TestAccount Account, Guid Compute, Guid Storage, Guid Model);

    private sealed record RentalRef(Guid Id, string Kind, TestAccount Client, TestAccount Provider);

    /// <summary>What the workers share: the rentals created so far and how often each action got each answer.</summary>
    private sealed class Run(int seed, Func<string> serverErrors)
    {
        private readonly ConcurrentDictionary<(string Action, int Status), int> _outcomes = new();
        private readonly List<RentalRef> _rentals = [];
        private readonly List<RentalRef> _accepted = [];

        public int Seed => seed;

        public RentalRef[] Rentals
        {
            get
            {
                lock (_rentals)
                {
                    return _rentals.ToArray();
                }
            }
        }

        public void Add(RentalRef rental)
        {
            lock (_rentals)
            {
                _rentals.Add(rental);
            }
        }

        /// <summary>Mostly one of the <paramref name="newest"/> rentals, which are still pending or running; sometimes any.</summary>
        public RentalRef Pick(Random random, int newest) => Pick(random, _rentals, newest);

        /// <summary>One of the newest accepted model rentals (running, or spent meanwhile), or any rental while there is none.</summary>
        public RentalRef PickAccepted(Random random)
        {
            lock (_rentals)
            {
                return _accepted.Count > 0 ? Pick(random, _accepted, 6) : Pick(random, _rentals, 12);
            }
        }

        public void Accepted(RentalRef rental)
        {
            lock (_rentals)
            {
                _accepted.Add(rental);
            }
        }

        private RentalRef Pick(Random random, List<RentalRef> from, int newest)
        {
            lock (_rentals)
            {
                var start = random.Next(5) == 0 ? 0 : Math.Max(0, from.Count - newest);
                return from[random.Next(start, from.Count)];
            }
        }

        public void Count(string action, int status) => _outcomes.AddOrUpdate((action, status), 1, (_, n) => n + 1);

        public bool Seen(string action, int status) => _outcomes.ContainsKey((action, status));

        public async Task ExpectAsync(string action, HttpResponseMessage response, params HttpStatusCode[] allowed)
        {
            Count(action, (int)response.StatusCode);
            Assert.True(allowed.Contains(response.StatusCode),
                $"seed {seed}: {action} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{((int)response.StatusCode >= 500 ? serverErrors() : "")}");
        }

        public string Describe() => string.Join(", ", _outcomes.OrderBy(o => o.Key.Action).ThenBy(o => o.Key.Status).Select(o => $"{o.Key.Action} {o.Key.Status}: {o.Value}"));
    }
}
