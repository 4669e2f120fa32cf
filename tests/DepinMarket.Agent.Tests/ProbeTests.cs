namespace DepinMarket.Agent.Tests;

public class ProbeTests
{
    [Theory]
    [InlineData(1_200_549_999_999L, 1200.5)]
    [InlineData(1_200_599_999_999L, 1200.5)]
    [InlineData(99_999_999L, 0.0)]
    [InlineData(0L, 0.0)]
    public void Free_bytes_are_reported_in_gb_of_ten_to_the_nine_rounded_down_to_one_decimal(long bytes, double gb)
    {
        Assert.Equal(gb, DiskProbe.ToGb(bytes));
    }

    [Fact]
    public void The_free_space_of_an_existing_folder_is_known()
    {
        Assert.NotNull(new DiskProbe(Path.GetTempPath()).FreeGb());
    }

    [Fact]
    public void A_storage_dir_that_does_not_exist_yet_reports_the_root_filesystem()
    {
        Assert.Equal(new DiskProbe(null).FreeGb() is null, new DiskProbe("/no/such/folder/" + Guid.NewGuid()).FreeGb() is null);
    }

    [Fact]
    public async Task Simulated_nodes_report_eight_h100s_with_plausible_values()
    {
        var gpus = await new SimulatedGpus(seed: 1).ReadAsync(CancellationToken.None);

        Assert.Equal(8, gpus.Count);
        Assert.All(gpus, g =>
        {
            Assert.Equal(SimulatedGpus.Model, g.Model);
            Assert.InRange(g.UtilizationPercent!.Value, 0, 100);
            Assert.InRange(g.MemoryUsedMib!.Value, 0, g.MemoryTotalMib!.Value);
        });
    }

    [Fact]
    public async Task Simulated_utilisation_changes_from_one_reading_to_the_next()
    {
        var gpus = new SimulatedGpus(seed: 2);

        var first = await gpus.ReadAsync(CancellationToken.None);
        var second = await gpus.ReadAsync(CancellationToken.None);

        Assert.NotEqual(first.Select(g => g.UtilizationPercent), second.Select(g => g.UtilizationPercent));
    }

    [Fact]
    public void An_offer_is_for_the_most_common_gpu_model_of_the_node()
    {
        GpuReading[] gpus = [Gpu(0, "NVIDIA T4"), Gpu(1, "NVIDIA H100 80GB HBM3"), Gpu(2, "NVIDIA H100 80GB HBM3")];
        var options = new AgentOptions { OfferPrice = "2.5", Region = "DE" };

        var offer = OfferDeclaration.RequestFor(Guid.NewGuid(), new HeartbeatRequest(1, "0.1.0", gpus, 1999.9, null), options, 64, 512);

        Assert.Equal(("NVIDIA H100 80GB HBM3", 2, 1999), (offer!.GpuModel, offer.GpuCount, offer.DiskGb));
    }

    [Fact]
    public void A_node_without_gpus_declares_no_offer()
    {
        var options = new AgentOptions { OfferPrice = "2.5", Region = "DE" };

        Assert.Null(OfferDeclaration.RequestFor(Guid.NewGuid(), new HeartbeatRequest(1, "0.1.0", [], 10, null), options, 64, 512));
    }

    private static GpuReading Gpu(int index, string model) => new(index, model, 0, 0, 1000, 30);
}
