using DepinMarket.Domain.Geography;
using DepinMarket.Domain.Money;
using DepinMarket.Domain.Offers;

namespace DepinMarket.Domain.Tests;

public sealed class OfferTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static ComputeOffer Draft() => ComputeOffer.Create(Guid.NewGuid(),
        ComputeTerms.Parse("H100", 8, null, 96, 1024, 4000, "de", null, TokenAmount.Parse("2.5"), 1, 720, null), publish: false, Now);

    [Fact]
    public void The_lifecycle_allows_only_its_own_moves()
    {
        var offer = Draft();
        Assert.Equal(OfferStatus.Draft, offer.Status);
        Assert.Throws<DomainException>(() => offer.Pause(Now));
        offer.Publish(Now);
        Assert.Throws<DomainException>(() => offer.Publish(Now));
        Assert.Throws<DomainException>(() => offer.Resume(Now));
        offer.Pause(Now);
        offer.Resume(Now);
        Assert.Equal(OfferStatus.Active, offer.Status);
        offer.Retire(Now);
        var error = Assert.Throws<DomainException>(() => offer.Resume(Now));
        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
        Assert.Throws<DomainException>(() => offer.Update(ComputeTerms.Parse("T4", 1, null, 4, 16, 100, "US", null, TokenAmount.Parse("0.1"), 1, 10, null), Now));
    }

    [Fact]
    public void Terms_are_normalised()
    {
        var offer = Draft();
        Assert.Equal("NVIDIA H100 80GB HBM3", offer.GpuModel);
        Assert.Equal("H100", offer.GpuShortName);
        Assert.Equal(80, offer.VramGbPerGpu);
        Assert.Equal("DE", offer.CountryCode);
        Assert.Equal(8, offer.GpusAvailable);
    }

    [Fact]
    public void Every_bad_term_is_reported_together()
    {
        var error = Assert.Throws<ValidationFailedException>(() =>
            ComputeTerms.Parse("H1OO", 0, null, 0, 0, 0, "XX", null, TokenAmount.Zero, 5, 2, 9));
        Assert.Equal(
            ["cpuCores", "diskGb", "gpuCount", "gpuModel", "gpusAvailable", "maxHours", "pricePerGpuHour", "ramGb", "region"],
            error.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("h100", "H100")]
    [InlineData("NVIDIA H100 80GB HBM3", "H100")]
    [InlineData("H100 SXM5", "H100")]
    [InlineData("nvidia geforce rtx-4090", "RTX-4090")]
    [InlineData("RTX 5090", "RTX-5090")]
    [InlineData("Tesla T4", "T4")]
    [InlineData("AMD Instinct MI300X 192GB", "MI300X")]
    public void GPU_names_normalise_to_one_short_name(string name, string shortName)
    {
        Assert.True(GpuCatalog.TryNormalise(name, out var model));
        Assert.Equal(shortName, model.ShortName);
    }

    [Theory]
    [InlineData("H1OO")]
    [InlineData("A100")]
    [InlineData("")]
    public void Unknown_or_ambiguous_GPU_names_are_refused(string name) => Assert.False(GpuCatalog.TryNormalise(name, out _));

    [Theory]
    [InlineData("de", true)]
    [InlineData("US", true)]
    [InlineData("XX", false)]
    [InlineData("GER", false)]
    public void Country_codes_are_ISO_3166_alpha_2(string code, bool valid) => Assert.Equal(valid, CountryCodes.TryNormalise(code, out _));

    [Theory]
    [InlineData("https://llm.example.com/v1", true)]
    [InlineData("http://llm.example.com", false)]
    [InlineData("https://user:pw@llm.example.com", false)]
    [InlineData("llm.example.com", false)]
    public void Model_endpoints_must_be_https_without_credentials(string url, bool valid)
    {
        var parse = () => ModelTerms.Parse("org/model", Modality.Text, 1000, TokenAmount.Parse("1"), TokenAmount.Parse("1"), url, 10);
        if (valid)
        {
            Assert.Equal(url, parse().EndpointUrl);
        }
        else
        {
            Assert.Contains("endpointUrl", Assert.Throws<ValidationFailedException>(parse).Errors.Keys);
        }
    }
}
