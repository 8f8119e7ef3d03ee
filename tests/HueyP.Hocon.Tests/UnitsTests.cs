namespace HueyP.Hocon.Tests;

public sealed class UnitsTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2 s", 2_000)]
    [InlineData("10 minutes", 600_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("250", 250)]
    [InlineData("3000 micros", 3)]
    public void Duration_units(string text, long expectedMilliseconds)
    {
        var config = Hocon.Parse($"d = {text}");

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), config.GetDuration("d"));
    }

    [Fact]
    public void Duration_with_unknown_or_uppercase_unit_names_the_setting_and_line()
    {
        var config = Hocon.Parse("a = 1\ntimeout = 5 S");

        var error = Assert.Throws<HoconConfigException>(() => config.GetDuration("timeout"));

        Assert.Contains("timeout (test.conf:2)", error.Message);
        Assert.Contains("unknown duration unit 'S'", error.Message);
    }

    [Theory]
    [InlineData("64KB", 64_000)]
    [InlineData("64kB", 64_000)]
    [InlineData("64KiB", 65_536)]
    [InlineData("64K", 65_536)]
    [InlineData("10 MB", 10_000_000)]
    [InlineData("10 megabytes", 10_000_000)]
    [InlineData("1 GiB", 1_073_741_824)]
    [InlineData("0.5M", 524_288)]
    [InlineData("4096", 4_096)]
    [InlineData("2 bytes", 2)]
    public void Byte_size_units(string text, long expectedBytes)
    {
        Assert.Equal(expectedBytes, Hocon.Parse($"s = {text}").GetByteSize("s"));
    }

    [Fact]
    public void Byte_size_that_overflows_64_bits_is_an_error()
    {
        var error = Assert.Throws<HoconConfigException>(() => Hocon.Parse("s = 1YB").GetByteSize("s"));

        Assert.Contains("64-bit", error.Message);
    }

    [Fact]
    public void Helpers_parse_strings_for_the_options_binder()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), HoconDuration.Parse("30s"));
        Assert.Equal(1024, HoconByteSize.Parse("1KiB"));
        Assert.Throws<FormatException>(() => HoconDuration.Parse("soon"));
        Assert.True(HoconBoolean.TryParse("off", out var allowRemote) && !allowRemote);
        Assert.False(HoconBoolean.TryParse("maybe", out _));
    }
}
