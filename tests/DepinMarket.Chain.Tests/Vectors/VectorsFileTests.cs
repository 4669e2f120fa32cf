namespace DepinMarket.Chain.Tests.Vectors;

public class VectorsFileTests
{
    [Fact]
    public void Vectors_file_is_found_and_holds_every_category_with_its_records()
    {
        var root = EvmVectors.Root;
        foreach (var (category, minimum) in EvmVectors.ExpectedCategories)
        {
            Assert.True(root.TryGetProperty(category, out var records), $"category {category} is missing");
            Assert.True(records.GetArrayLength() >= minimum, $"{category} has {records.GetArrayLength()} records, expected at least {minimum}");
        }
    }
}
