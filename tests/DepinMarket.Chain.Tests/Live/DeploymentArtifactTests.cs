using System.Net;
using DepinMarket.Chain.Deployment;
using DepinMarket.Chain.Util;

namespace DepinMarket.Chain.Tests.Live;

/// <summary>Deployment pieces that need no node: the embedded artifacts and argument checks.</summary>
public class DeploymentArtifactTests
{
    [Theory]
    [InlineData("DepinToken")]
    [InlineData("DepinVault")]
    public void Artifact_is_embedded_byte_for_byte(string contract)
    {
        using var stream = typeof(MarketContracts).Assembly.GetManifestResourceStream($"DepinMarket.Chain.Artifacts.{contract}.json");
        Assert.NotNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);

        Assert.Equal(File.ReadAllBytes(ArtifactPath(contract)), copy.ToArray());
    }

    [Fact]
    public async Task Deploy_and_mint_need_a_signer()
    {
        using var http = new HttpClient(new RefusingHandler());
        var readOnly = new ChainClient(http, new ChainOptions { RpcUrl = new Uri("http://127.0.0.1:9"), ChainId = 31337 });
        var someone = EthereumAddress.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");

        await Assert.ThrowsAsync<InvalidOperationException>(() => MarketContracts.DeployAsync(readOnly, someone, someone, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => MarketContracts.MintAsync(readOnly, someone, someone, 1, CancellationToken.None));
    }

    private static string ArtifactPath(string contract)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "src", "contracts", "artifacts", contract + ".json");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"src/contracts/artifacts/{contract}.json not found above {AppContext.BaseDirectory}.");
    }

    private sealed class RefusingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
    }
}
