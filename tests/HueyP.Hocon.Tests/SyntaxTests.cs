namespace HueyP.Hocon.Tests;

public sealed class SyntaxTests
{
    [Fact]
    public void Both_comment_styles_are_ignored_but_slashes_inside_values_are_kept()
    {
        var config = Hocon.Parse("""
            # hash comment
            a = 1 // trailing comment
            url = "http://example.com/x"  # comment
            path = /usr/local/bin
            """);

        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal("http://example.com/x", config.GetString("url"));
        Assert.Equal("/usr/local/bin", config.GetString("path"));
    }

    [Fact]
    public void Unquoted_string_keeps_inner_whitespace_and_drops_outer_whitespace()
    {
        var config = Hocon.Parse("title =    Yet   another blog   \n");

        Assert.Equal("Yet   another blog", config.GetString("title"));
    }

    [Fact]
    public void Quoted_string_supports_json_escapes()
    {
        var config = Hocon.Parse("""s = "tab\tquote\" unicode\u00e9 slash\/" """);

        Assert.Equal("tab\tquote\" unicode\u00e9 slash/", config.GetString("s"));
    }

    [Fact]
    public void Triple_quoted_string_spans_lines_without_escapes()
    {
        var config = Hocon.Parse("s = \"\"\"line one\n  C:\\path \"quoted\"\"\"\"\nnext = 2");

        Assert.Equal("line one\n  C:\\path \"quoted\"", config.GetString("s"));
        Assert.Equal(2, config.GetInt("next"));
    }

    [Fact]
    public void Numbers_booleans_and_null_are_typed_but_readable_as_strings()
    {
        var config = Hocon.Parse("i = 42, d = -3.5e2, t = true, f = off, n = null");

        Assert.Equal(42L, config.GetLong("i"));
        Assert.Equal(-350.0, config.GetDouble("d"));
        Assert.True(config.GetBoolean("t"));
        Assert.False(config.GetBoolean("f"));
        Assert.Equal("-3.5e2", config.GetString("d"));
        Assert.False(config.HasPath("n"));
    }

    [Fact]
    public void Separators_equals_colon_and_omitted_before_brace_are_equivalent()
    {
        var config = Hocon.Parse("a = 1\nb : 2\nc { d = 3 }");

        Assert.Equal([1, 2, 3], new[] { config.GetInt("a"), config.GetInt("b"), config.GetInt("c.d") });
    }

    [Fact]
    public void Root_braces_are_optional()
    {
        Assert.Equal(Hocon.Parse("{ a = 1 }").GetInt("a"), Hocon.Parse("a = 1").GetInt("a"));
    }

    [Fact]
    public void Path_keys_create_nested_objects_and_quoted_segments_keep_dots()
    {
        var config = Hocon.Parse("""
            hueyp.admin.port = 8080
            akka.actor.deployment."/app/service-ping".router = round-robin
            "a.b".c = 1
            """);

        Assert.Equal(8080, config.GetInt("hueyp.admin.port"));
        Assert.Equal("round-robin", config.GetString("akka.actor.deployment.\"/app/service-ping\".router"));
        Assert.Contains("a.b", config.Keys);
        Assert.Equal(1, config.GetInt("\"a.b\".c"));
    }

    [Fact]
    public void Duplicate_object_keys_merge_and_a_later_scalar_wins()
    {
        var config = Hocon.Parse("""
            db { host = a, port = 1 }
            db { port = 2 }
            x = { y = 1 }
            x = 5
            """);

        Assert.Equal("a", config.GetString("db.host"));
        Assert.Equal(2, config.GetInt("db.port"));
        Assert.Equal(5, config.GetInt("x"));
    }

    [Fact]
    public void Null_clears_an_object_so_a_later_object_starts_fresh()
    {
        var config = Hocon.Parse("a { x = 1 }\na = null\na { y = 2 }");

        Assert.False(config.HasPath("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
    }

    [Fact]
    public void Arrays_accept_commas_or_newlines_and_nest()
    {
        var config = Hocon.Parse("a = [1, 2\n 3\n]\nb = [[x, y], {k = v}]");

        Assert.Equal([1, 2, 3], config.GetIntList("a"));
        Assert.Equal(2, config.GetList("b").Count);
        Assert.Equal("v", new HoconConfig(Assert.IsType<HoconObject>(config.GetList("b")[1])).GetString("k"));
    }

    [Fact]
    public void String_concatenation_joins_values_with_their_whitespace()
    {
        var config = Hocon.Parse("""s = "foo" bar 42 "baz" """);

        Assert.Equal("foo bar 42 baz", config.GetString("s"));
    }

    [Fact]
    public void Array_and_object_concatenation()
    {
        var config = Hocon.Parse("a = [1, 2] [3]\no = { x = 1 } { y = 2 }");

        Assert.Equal([1, 2, 3], config.GetIntList("a"));
        Assert.Equal(1, config.GetInt("o.x"));
        Assert.Equal(2, config.GetInt("o.y"));
    }

    [Fact]
    public void Keys_keep_definition_order()
    {
        Assert.Equal(["z", "a", "m"], Hocon.Parse("z = 1, a = 2, m = 3, a = 4").Keys);
    }

    [Fact]
    public void Json_files_parse_as_hocon()
    {
        var config = Hocon.Parse("""{"a": {"b": [1, 2.5, "x", true, null]}}""");

        Assert.Equal(5, config.GetList("a.b").Count);
    }
}
