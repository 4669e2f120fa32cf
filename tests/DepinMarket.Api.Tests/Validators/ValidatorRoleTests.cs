using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DepinMarket.Api.Tests.Infrastructure;
using Npgsql;

namespace DepinMarket.Api.Tests.Validators;

/// <summary>The validator role: granted, listed and revoked by the operator key, and by nobody else.</summary>
public sealed class ValidatorRoleTests(ValidatorApi api) : IClassFixture<ValidatorApi>
{
    private HttpClient Operator => api.Client(MarketApi.OperatorKey);

    [Fact]
    public async Task The_first_grant_creates_the_role_with_full_trust_and_a_second_grant_changes_nothing()
    {
        var account = await api.SignUpAsync("client");
        var first = await Operator.PutAsync($"/v1/admin/validators/{account.Id}", null);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var granted = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((account.Id, true, 1.0), (granted["accountId"]!.GetValue<Guid>(), granted["active"]!.GetValue<bool>(), granted["trust"]!.GetValue<double>()));

        var again = await Operator.PutAsync($"/v1/admin/validators/{account.Id}", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(granted.ToJsonString(), (await again.Content.ReadFromJsonAsync<JsonObject>())!.ToJsonString());
    }

    [Fact]
    public async Task Granting_an_account_that_does_not_exist_is_a_404()
    {
        var id = Guid.NewGuid();
        var problem = await (await Operator.PutAsync($"/v1/admin/validators/{id}", null)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(id.ToString(), problem["detail"].Text());
    }

    [Fact]
    public async Task A_revoked_validator_is_listed_as_revoked_and_a_new_grant_restores_the_role_with_the_trust_it_had()
    {
        var account = await api.ValidatorAsync();
        await SetTrustAsync(account.Id, 0.4);

        var revoked = (await (await Operator.DeleteAsync($"/v1/admin/validators/{account.Id}")).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(revoked["active"]!.GetValue<bool>());
        Assert.NotNull(revoked["revokedAt"]);
        Assert.False((await api.ListedValidatorAsync(account.Id))["active"]!.GetValue<bool>());

        var regranted = await api.GrantValidatorAsync(account.Id);
        Assert.True(regranted["active"]!.GetValue<bool>());
        Assert.Null(regranted["revokedAt"]);
        Assert.Equal(0.4, regranted["trust"]!.GetValue<double>());
    }

    [Fact]
    public async Task Revoking_twice_keeps_the_first_revocation_and_revoking_a_non_validator_is_a_404()
    {
        var account = await api.ValidatorAsync();
        var first = (await (await Operator.DeleteAsync($"/v1/admin/validators/{account.Id}")).Content.ReadFromJsonAsync<JsonObject>())!;
        api.Clock.Advance(TimeSpan.FromSeconds(5));
        var second = await Operator.DeleteAsync($"/v1/admin/validators/{account.Id}");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(first["revokedAt"].Text(), (await second.Content.ReadFromJsonAsync<JsonObject>())!["revokedAt"].Text());

        var other = await api.SignUpAsync("client");
        var problem = await (await Operator.DeleteAsync($"/v1/admin/validators/{other.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("does not have the validator role", problem["detail"].Text());
    }

    [Fact]
    public async Task The_list_shows_each_validators_trust_and_its_stake_now()
    {
        var account = await api.ValidatorAsync("250");
        var listed = await api.ListedValidatorAsync(account.Id);
        Assert.Equal(("250", 1.0), (listed["stake"].Text(), listed["trust"]!.GetValue<double>()));

        await api.StakeAsync(account.Id, "50");
        Assert.Equal("300", (await api.ListedValidatorAsync(account.Id))["stake"].Text());
        var unstaked = await api.SignUpAsync("client");
        await api.GrantValidatorAsync(unstaked.Id);
        Assert.Equal("0", (await api.ListedValidatorAsync(unstaked.Id))["stake"].Text());
    }

    [Fact]
    public async Task The_list_pages_by_cursor_without_repeating_or_skipping_a_validator()
    {
        for (var i = 0; i < 3; i++)
        {
            await api.ValidatorAsync();
        }
        var all = (await Operator.GetFromJsonAsync<JsonObject>("/v1/admin/validators?limit=200"))!["items"]!.AsArray().Select(v => v!["accountId"].Text()).ToList();
        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await Operator.GetFromJsonAsync<JsonObject>($"/v1/admin/validators?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}"))!;
            Assert.True(page["items"]!.AsArray().Count <= 2);
            paged.AddRange(page["items"]!.AsArray().Select(v => v!["accountId"].Text()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.Equal(all, paged);
        Assert.True(all.Count >= 3);
    }

    [Fact]
    public async Task Only_the_operator_key_may_grant_revoke_or_list_validators()
    {
        var validator = await api.ValidatorAsync();
        var provider = await api.SignUpAsync("provider");
        foreach (var caller in new[] { validator, provider })
        {
            foreach (var response in new[]
            {
                await caller.Http.PutAsync($"/v1/admin/validators/{caller.Id}", null),
                await caller.Http.DeleteAsync($"/v1/admin/validators/{validator.Id}"),
                await caller.Http.GetAsync("/v1/admin/validators"),
            })
            {
                var problem = await response.ProblemAsync(HttpStatusCode.Forbidden);
                Assert.Contains("operator key", problem["detail"].Text());
            }
        }
        await (await api.Client().PutAsync($"/v1/admin/validators/{provider.Id}", null)).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.True((await api.ListedValidatorAsync(validator.Id))["active"]!.GetValue<bool>());
        await (await Operator.DeleteAsync($"/v1/admin/validators/{provider.Id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_account_without_the_role_is_refused_on_every_endpoint_that_changes_validators_or_scores()
    {
        var offer = await api.ModelOfferAsync();
        var validator = await api.ValidatorAsync();
        var outsider = await api.SignUpAsync("client");
        await (await outsider.Http.PutAsync($"/v1/admin/validators/{outsider.Id}", null)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await outsider.Http.DeleteAsync($"/v1/admin/validators/{validator.Id}")).ProblemAsync(HttpStatusCode.Forbidden);
        var problem = await (await outsider.SubmitScoresAsync(new { scores = new[] { new { offerId = offer, quality = 0.5, latency = 0.5 } } }))
            .ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("does not have the validator role", problem["detail"].Text());
        Assert.True((await api.ListedValidatorAsync(validator.Id))["active"]!.GetValue<bool>());
    }

    private async Task SetTrustAsync(Guid validatorId, double trust)
    {
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        await using var command = dataSource.CreateCommand("update validators set trust = @trust where account_id = @id");
        command.Parameters.AddWithValue("trust", trust);
        command.Parameters.AddWithValue("id", validatorId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
