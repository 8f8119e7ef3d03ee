namespace HueyP.Hocon.Tests;

public sealed class IncludeTests
{
    [Fact]
    public void Include_is_relative_to_the_including_file_not_the_working_directory()
    {
        using var folder = new TempFolder();
        folder.Write("hocon/common/brokers.conf", "broker { name = ic-markets }");
        folder.Write("hocon/common.conf", "include \"common/brokers.conf\"\nlog-level = info");
        var main = folder.Write("hocon/paper.conf", "include \"common.conf\"\nlog-level = debug");

        var config = HoconParser.ParseFile(main, Hocon.Options());

        Assert.Equal("ic-markets", config.GetString("broker.name"));
        Assert.Equal("debug", config.GetString("log-level"));
    }

    [Fact]
    public void Include_file_syntax_and_including_file_overrides_included_values()
    {
        using var folder = new TempFolder();
        folder.Write("base.conf", "a = 1\nb = 2");
        var main = folder.Write("main.conf", "a = 0\ninclude file(\"base.conf\")\nb = 3");

        var config = HoconParser.ParseFile(main, Hocon.Options());

        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(3, config.GetInt("b"));
    }

    [Fact]
    public void Missing_include_is_silently_ignored()
    {
        using var folder = new TempFolder();
        var main = folder.Write("main.conf", "include \"nothere.conf\"\na = 1");

        Assert.Equal(1, HoconParser.ParseFile(main, Hocon.Options()).GetInt("a"));
    }

    [Fact]
    public void Missing_required_include_is_an_error_naming_the_including_line()
    {
        using var folder = new TempFolder();
        var main = folder.Write("main.conf", "a = 1\ninclude required(\"secrets.conf\")");

        var error = Assert.Throws<HoconParseException>(() => HoconParser.ParseFile(main, Hocon.Options()));

        Assert.Equal(2, error.Line);
        Assert.EndsWith("main.conf", error.File);
        Assert.Contains("secrets.conf", error.Message);
    }

    [Fact]
    public void Include_cycle_is_reported()
    {
        using var folder = new TempFolder();
        folder.Write("b.conf", "include \"a.conf\"");
        var a = folder.Write("a.conf", "include \"b.conf\"");

        var error = Assert.Throws<HoconParseException>(() => HoconParser.ParseFile(a, Hocon.Options()));

        Assert.Contains("include cycle: a.conf -> b.conf -> a.conf", error.Message);
    }

    [Fact]
    public void Included_substitutions_look_under_the_include_location_then_at_the_root()
    {
        using var folder = new TempFolder();
        folder.Write("part.conf", "x = 10\ny = ${x}\nz = ${top}");
        var main = folder.Write("main.conf", "top = root-value\na { include \"part.conf\" }\na { x = 42 }");

        var config = HoconParser.ParseFile(main, Hocon.Options());

        Assert.Equal(42, config.GetInt("a.y"));
        Assert.Equal("root-value", config.GetString("a.z"));
    }

    [Fact]
    public void Included_values_remember_their_own_file()
    {
        using var folder = new TempFolder();
        folder.Write("part.conf", "\n\nport = 70000");
        var main = folder.Write("main.conf", "include \"part.conf\"");

        var origin = HoconParser.ParseFile(main, Hocon.Options()).Origin("port")!;

        Assert.EndsWith("part.conf", origin.File);
        Assert.Equal(3, origin.Line);
    }

    [Fact]
    public void Include_without_extension_loads_conf_and_json()
    {
        using var folder = new TempFolder();
        folder.Write("defaults.json", """{"a": 1, "b": 1}""");
        folder.Write("defaults.conf", "b = 2");
        var main = folder.Write("main.conf", "include \"defaults\"");

        var config = HoconParser.ParseFile(main, Hocon.Options());

        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(2, config.GetInt("b"));
    }

    [Fact]
    public void Later_file_overrides_what_an_earlier_files_substitution_refers_to()
    {
        using var folder = new TempFolder();
        var reference = folder.Write("reference.conf", "hueyp { home = /opt/hueyp, data = ${hueyp.home}/data }");
        var user = folder.Write("user.conf", "hueyp.home = /srv/hueyp");

        var config = HoconParser.ParseFiles([reference, user], Hocon.Options());

        Assert.Equal("/srv/hueyp/data", config.GetString("hueyp.data"));
    }

    [Theory]
    [InlineData("include required(file(\"base.conf\"))")]
    [InlineData("include file( \"base.conf\" )")]
    [InlineData("include\n  \"base.conf\"")]
    public void Include_forms_from_the_spec(string statement)
    {
        using var folder = new TempFolder();
        folder.Write("base.conf", "a = 1");
        var main = folder.Write("main.conf", statement);

        Assert.Equal(1, HoconParser.ParseFile(main, Hocon.Options()).GetInt("a"));
    }

    [Fact]
    public void Malformed_include_and_unsupported_url_include_are_errors()
    {
        Assert.Contains("include must be followed by a quoted file name", Hocon.ParseError("include file(\"x.conf\"").Message);
        Assert.Contains("url(...) is not supported", Hocon.ParseError("include url(\"http://example.com/x.conf\")").Message);
    }

    [Fact]
    public void Include_is_an_ordinary_word_outside_key_position()
    {
        var config = Hocon.Parse("foo include : 42\nbar = include\n\"include\" = 1");

        Assert.Equal(42, config.GetInt("\"foo include\""));
        Assert.Equal("include", config.GetString("bar"));
        Assert.Equal(1, config.GetInt("include"));
    }
}
