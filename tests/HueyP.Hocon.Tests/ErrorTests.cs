namespace HueyP.Hocon.Tests;

public sealed class ErrorTests
{
    [Fact]
    public void Unterminated_string_names_file_line_and_column()
    {
        var error = Hocon.ParseError("a = 1\nname = \"unfinished\nb = 2");

        Assert.Equal(("test.conf", 2, 8), (error.File, error.Line, error.Column));
        Assert.Contains("unterminated string", error.Message);
    }

    [Fact]
    public void Unclosed_brace_points_at_the_opening_brace()
    {
        var error = Hocon.ParseError("a {\n  b = 1\n");

        Assert.Contains("unbalanced braces", error.Message);
        Assert.Contains("line 1:3", error.Message);
    }

    [Fact]
    public void Extra_closing_brace_is_reported()
    {
        var error = Hocon.ParseError("a = 1\n}");

        Assert.Equal(2, error.Line);
        Assert.Contains("unbalanced braces", error.Message);
    }

    [Fact]
    public void Unclosed_array_is_reported()
    {
        Assert.Contains("'[' is never closed", Hocon.ParseError("a = [1, 2").Message);
    }

    [Fact]
    public void Bad_substitution_syntax_is_reported()
    {
        Assert.Contains("unterminated substitution", Hocon.ParseError("a = ${b.c").Message);
        Assert.Contains("bad substitution", Hocon.ParseError("a = ${b..c}").Message);
        Assert.Contains("empty substitution", Hocon.ParseError("a = ${}").Message);
    }

    [Fact]
    public void Missing_separator_names_the_key()
    {
        var error = Hocon.ParseError("port 8080\n");

        Assert.Contains("after key '\"port 8080\"'", error.Message);
    }

    [Fact]
    public void Missing_value_names_the_key()
    {
        var error = Hocon.ParseError("a = 1\nport =\n");

        Assert.Equal(2, error.Line);
        Assert.Contains("expected a value for key 'port'", error.Message);
    }

    [Fact]
    public void Reserved_character_in_unquoted_value_suggests_quoting()
    {
        var error = Hocon.ParseError("a = what?");

        Assert.Contains("reserved character '?'", error.Message);
        Assert.Equal(9, error.Column);
    }

    [Fact]
    public void Root_array_is_rejected()
    {
        Assert.Contains("must be an object", Hocon.ParseError("[1, 2]").Message);
    }

    [Fact]
    public void Getter_on_missing_or_mistyped_setting_names_the_path_and_origin()
    {
        var config = Hocon.Parse("port = eighty");

        Assert.Contains("nope: missing", Assert.Throws<HoconConfigException>(() => config.GetInt("nope")).Message);
        Assert.Equal("port (test.conf:1): expected a whole number, found 'eighty'",
            Assert.Throws<HoconConfigException>(() => config.GetInt("port")).Message);
    }

    [Fact]
    public void Missing_top_level_file_is_an_error()
    {
        var error = Assert.Throws<HoconParseException>(() => HoconParser.ParseFile("/nonexistent/hueyp.conf"));

        Assert.Contains("not found", error.Message);
    }
}
