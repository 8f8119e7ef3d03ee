using Microsoft.Extensions.Configuration;

namespace HueyP.Hocon.Tests;

public sealed class ConfigurationProviderTests
{
    private const string Paper = """
        hueyp {
          admin.port = 8080
          admin.timeout = 500ms
          brokers = [ic-markets, pepperstone]
          accounts = [{ login = 1001 }, { login = 1002 }]
          optional-thing = null
        }
        """;

    [Fact]
    public void Dotted_paths_become_colon_keys_and_arrays_become_indexes()
    {
        var configuration = new ConfigurationBuilder().AddHoconString(Paper, "hocon/paper.conf").Build();

        Assert.Equal("8080", configuration["hueyp:admin:port"]);
        Assert.Equal("500ms", configuration["hueyp:admin:timeout"]);
        Assert.Equal("pepperstone", configuration["hueyp:brokers:1"]);
        Assert.Equal("1002", configuration["hueyp:accounts:1:login"]);
        Assert.Null(configuration["hueyp:optional-thing"]);
        Assert.Equal(["accounts", "admin", "brokers", "optional-thing"],
            configuration.GetSection("hueyp").GetChildren().Select(c => c.Key).Order());
    }

    [Fact]
    public void Keys_are_case_insensitive_like_other_providers()
    {
        var configuration = new ConfigurationBuilder().AddHoconString(Paper).Build();

        Assert.Equal("8080", configuration["HUEYP:Admin:Port"]);
    }

    [Fact]
    public void Origin_of_a_key_gives_file_and_line()
    {
        var configuration = new ConfigurationBuilder().AddHoconString(Paper, "hocon/paper.conf").Build();

        Assert.True(HoconOrigins.TryGet(configuration, "hueyp:admin:port", out var origin));
        Assert.Equal(new HoconOrigin("hocon/paper.conf", 2, 16), origin);
        Assert.True(HoconOrigins.TryGet(configuration, "hueyp:accounts:1:login", out var element));
        Assert.Equal(5, element.Line);
    }

    [Fact]
    public void Origin_is_not_claimed_when_a_later_source_overrides_the_key()
    {
        var configuration = new ConfigurationBuilder()
            .AddHoconString(Paper, "hocon/paper.conf")
            .AddInMemoryCollection(new Dictionary<string, string?> { ["hueyp:admin:port"] = "9999" })
            .Build();

        Assert.Equal("9999", configuration["hueyp:admin:port"]);
        Assert.False(HoconOrigins.TryGet(configuration, "hueyp:admin:port", out _));
        Assert.True(HoconOrigins.TryGet(configuration, "hueyp:admin:timeout", out _));
    }

    [Fact]
    public void Later_hocon_file_wins_and_reports_its_own_origin()
    {
        using var folder = new TempFolder();
        var first = folder.Write("reference.conf", "hueyp.admin.port = 1");
        var second = folder.Write("paper.conf", "\nhueyp.admin.port = 70000");

        var configuration = new ConfigurationBuilder().AddHoconFile(first).AddHoconFile(second).Build();

        Assert.Equal("70000", configuration["hueyp:admin:port"]);
        Assert.True(HoconOrigins.TryGet(configuration, "hueyp:admin:port", out var origin));
        Assert.Equal((second, 2), (origin.File, origin.Line));
    }

    [Fact]
    public void Optional_missing_file_is_skipped_and_required_missing_file_fails()
    {
        var optional = new ConfigurationBuilder().AddHoconFile("/nonexistent/x.conf", optional: true).Build();
        Assert.Empty(optional.AsEnumerable());

        Assert.Throws<HoconParseException>(() => new ConfigurationBuilder().AddHoconFile("/nonexistent/x.conf").Build());
    }

    [Fact]
    public void Parse_error_surfaces_when_building_with_file_and_line()
    {
        var error = Assert.Throws<HoconParseException>(() =>
            new ConfigurationBuilder().AddHoconString("a = 1\nb = \"oops", "hocon/live.conf").Build());

        Assert.StartsWith("hocon/live.conf:2:", error.Message);
    }

    [Fact]
    public void Key_spelling_helpers_convert_both_ways()
    {
        Assert.Equal("hueyp:admin:port", HoconOrigins.ToConfigurationKey("hueyp.admin.port"));
        Assert.Equal("hueyp.admin.port", HoconOrigins.ToHoconPath("hueyp:admin:port"));
    }
}
