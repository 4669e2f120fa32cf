namespace DepinMarket.Agent.Tests;

/// <summary>
/// The fixtures are in the format nvidia-smi prints for <c>--query-gpu=index,name,utilization.gpu,memory.used,
/// memory.total,temperature.gpu --format=csv</c>: units in the header and after each number, [N/A] and
/// [Not Supported] where a driver has no value.
/// </summary>
public class NvidiaSmiCsvTests
{
    [Fact]
    public void Eight_h100s_give_eight_readings_in_index_order_with_units_stripped()
    {
        var gpus = NvidiaSmiCsv.Parse(Fixture("nvidia-smi-8x-h100.csv"));

        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], gpus.Select(g => g.Index));
        Assert.All(gpus, g => Assert.Equal("NVIDIA H100 80GB HBM3", g.Model));
        Assert.Equal(new GpuReading(0, "NVIDIA H100 80GB HBM3", 37, 1024, 81559, 45), gpus[0]);
        Assert.Equal(new GpuReading(1, "NVIDIA H100 80GB HBM3", 100, 78211, 81559, 71), gpus[1]);
    }

    [Fact]
    public void Na_and_not_supported_values_are_null_and_the_rest_of_the_row_is_read()
    {
        var gpus = NvidiaSmiCsv.Parse(Fixture("nvidia-smi-na-values.csv"));

        Assert.Equal(new GpuReading(0, "NVIDIA A100-SXM4-80GB", null, 13, 81920, 33), gpus[0]);
        Assert.Equal(new GpuReading(2, "NVIDIA GeForce GTX 1050 Ti", null, 321, 4096, null), gpus[2]);
        Assert.Equal(new GpuReading(3, "NVIDIA T4", 4, null, null, 44), gpus[3]);
    }

    [Fact]
    public void A_single_gpu_gives_one_reading()
    {
        var gpu = Assert.Single(NvidiaSmiCsv.Parse(Fixture("nvidia-smi-single-rtx4090.csv")));

        Assert.Equal(new GpuReading(0, "NVIDIA GeForce RTX 4090", 3, 1534, 24564, 41), gpu);
    }

    [Fact]
    public void Columns_are_found_by_header_name_not_by_position()
    {
        const string output = """
            temperature.gpu, memory.total [MiB], name, index, memory.used [MiB], utilization.gpu [%]
            45, 81559 MiB, NVIDIA H100 80GB HBM3, 3, 1024 MiB, 37 %
            """;

        var gpu = Assert.Single(NvidiaSmiCsv.Parse(output));

        Assert.Equal(new GpuReading(3, "NVIDIA H100 80GB HBM3", 37, 1024, 81559, 45), gpu);
    }

    [Fact]
    public void A_column_the_driver_does_not_print_is_null()
    {
        var gpu = Assert.Single(NvidiaSmiCsv.Parse("index, name, utilization.gpu [%]\n0, Tesla T4, 98 %\n"));

        Assert.Equal(new GpuReading(0, "Tesla T4", 98, null, null, null), gpu);
    }

    [Fact]
    public void Windows_line_endings_are_read_like_unix_ones()
    {
        var crlf = Fixture("nvidia-smi-8x-h100.csv").ReplaceLineEndings("\r\n");

        Assert.Equal(NvidiaSmiCsv.Parse(Fixture("nvidia-smi-8x-h100.csv")), NvidiaSmiCsv.Parse(crlf));
    }

    [Fact]
    public void A_comma_inside_a_gpu_name_stays_in_the_name()
    {
        var gpu = Assert.Single(NvidiaSmiCsv.Parse("index, name, utilization.gpu [%]\n0, Vendor X, Model Y, 5 %\n"));

        Assert.Equal("Vendor X, Model Y", gpu.Model);
        Assert.Equal(5, gpu.UtilizationPercent);
    }

    [Fact]
    public void Empty_output_means_no_gpus()
    {
        Assert.Empty(NvidiaSmiCsv.Parse("\n"));
    }

    [Fact]
    public void Text_that_is_not_the_csv_is_refused()
    {
        Assert.Throws<FormatException>(() => NvidiaSmiCsv.Parse("No devices were found\n"));
    }

    [Fact]
    public void A_row_with_fewer_values_than_columns_is_refused()
    {
        Assert.Throws<FormatException>(() => NvidiaSmiCsv.Parse("index, name, utilization.gpu [%]\n0\n"));
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
