using DepinMarket.Domain.Deposits;

namespace DepinMarket.Domain.Tests.Deposits;

public class DepositReferenceTests
{
    [Fact]
    public void A_reference_maps_back_to_its_account()
    {
        var id = Guid.NewGuid();

        Assert.True(DepositReference.TryGetAccountId(DepositReference.For(id), out var back));
        Assert.Equal(id, back);
        Assert.True(DepositReference.TryGetAccountId(DepositReference.HexFor(id).ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal), out var fromHex));
        Assert.Equal(id, fromHex);
    }

    [Fact]
    public void The_hex_form_is_16_zero_bytes_then_the_id_as_written()
    {
        var id = Guid.Parse("0190f3a1-7b2c-7def-8123-456789abcdef");

        Assert.Equal("0x000000000000000000000000000000000190f3a17b2c7def8123456789abcdef", DepositReference.HexFor(id));
    }

    [Fact]
    public void References_of_other_shapes_name_no_account()
    {
        var id = Guid.NewGuid();
        var prefixed = DepositReference.For(id);
        prefixed[3] = 1;

        Assert.False(DepositReference.TryGetAccountId(prefixed, out _));
        Assert.False(DepositReference.TryGetAccountId(new byte[32], out _));
        Assert.False(DepositReference.TryGetAccountId(DepositReference.For(id).AsSpan(0, 31), out _));
        Assert.False(DepositReference.TryGetAccountId(Enumerable.Repeat((byte)0xff, 32).ToArray(), out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("000000000000000000000000000000000190f3a17b2c7def8123456789abcdef00")]
    [InlineData("0x000000000000000000000000000000000190f3a17b2c7def8123456789abcdeg")]
    [InlineData("0x000000000000000000000000000000000190f3a17b2c7def8123456789abcd")]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000")]
    public void Text_that_is_not_a_reference_names_no_account(string? hex) =>
        Assert.False(DepositReference.TryGetAccountId(hex, out _));

    [Fact]
    public void The_empty_id_has_no_reference_because_the_vault_refuses_zero() =>
        Assert.Throws<ArgumentException>(() => DepositReference.For(Guid.Empty));
}
