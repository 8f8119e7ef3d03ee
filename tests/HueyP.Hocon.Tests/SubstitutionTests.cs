namespace HueyP.Hocon.Tests;

public sealed class SubstitutionTests
{
    [Fact]
    public void Substitution_refers_to_values_defined_before_or_after()
    {
        var config = Hocon.Parse("a = ${b.c}\nb.c = 5\nd = ${a}");

        Assert.Equal(5, config.GetInt("a"));
        Assert.Equal(5, config.GetInt("d"));
    }

    [Fact]
    public void Substitution_sees_the_final_merged_value()
    {
        var config = Hocon.Parse("foo = { a = 1 }\nbar = ${foo}\nfoo = { b = 2 }");

        Assert.Equal(1, config.GetInt("bar.a"));
        Assert.Equal(2, config.GetInt("bar.b"));
    }

    [Fact]
    public void Substitution_inside_string_concatenation()
    {
        var config = Hocon.Parse("host = localhost\nurl = \"http://\"${host}\":8080/\"");

        Assert.Equal("http://localhost:8080/", config.GetString("url"));
    }

    [Fact]
    public void Missing_optional_substitution_removes_the_field()
    {
        var config = Hocon.Parse("port = ${?HUEYP_ADMIN_PORT}");

        Assert.False(config.HasPath("port"));
        Assert.Empty(config.Keys);
    }

    [Fact]
    public void Missing_optional_substitution_keeps_the_earlier_value()
    {
        var config = Hocon.Parse("port = 8080\nport = ${?HUEYP_ADMIN_PORT}");

        Assert.Equal(8080, config.GetInt("port"));
    }

    [Fact]
    public void Environment_variable_is_the_fallback_for_substitutions()
    {
        var environment = new Dictionary<string, string> { ["HUEYP_ADMIN_PORT"] = "9090", ["HOME"] = "/home/trader" };

        var config = Hocon.Parse("port = 8080\nport = ${?HUEYP_ADMIN_PORT}\nhome = ${HOME}/data", environment);

        Assert.Equal(9090, config.GetInt("port"));
        Assert.Equal("/home/trader/data", config.GetString("home"));
    }

    [Fact]
    public void Configuration_value_wins_over_environment_variable()
    {
        var config = Hocon.Parse("HOME = /from/config\nh = ${HOME}", new Dictionary<string, string> { ["HOME"] = "/from/env" });

        Assert.Equal("/from/config", config.GetString("h"));
    }

    [Fact]
    public void Self_reference_appends_to_the_previous_value()
    {
        var config = Hocon.Parse("path = /bin\npath = ${path}\":/usr/bin\"");

        Assert.Equal("/bin:/usr/bin", config.GetString("path"));
    }

    [Fact]
    public void Self_reference_with_no_previous_value_falls_back_to_the_environment()
    {
        var config = Hocon.Parse("PATH = ${PATH}\":/opt/hueyp\"", new Dictionary<string, string> { ["PATH"] = "/bin" });

        Assert.Equal("/bin:/opt/hueyp", config.GetString("PATH"));
    }

    [Fact]
    public void Self_reference_extends_an_object()
    {
        var config = Hocon.Parse("a = { x = 1 }\na = ${a} { y = 2 }");

        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
    }

    [Fact]
    public void Self_reference_inside_a_nested_field()
    {
        var config = Hocon.Parse("foo { a = 1 }\nfoo.a = ${foo.a}0");

        Assert.Equal(10, config.GetInt("foo.a"));
    }

    [Fact]
    public void Plus_equals_appends_to_an_array_and_creates_it_when_missing()
    {
        var config = Hocon.Parse("hosts = [a]\nhosts += b\nhosts += c\nfresh += 1");

        Assert.Equal(["a", "b", "c"], config.GetStringList("hosts"));
        Assert.Equal([1], config.GetIntList("fresh"));
    }

    [Fact]
    public void Array_concatenation_with_substitution()
    {
        var config = Hocon.Parse("base = [1, 2]\nall = ${base} [3]");

        Assert.Equal([1, 2, 3], config.GetIntList("all"));
    }

    [Fact]
    public void Object_concatenation_with_substitution_inherits_defaults()
    {
        var config = Hocon.Parse("""
            defaults { timeout = 5s, retries = 3 }
            broker-a = ${defaults} { retries = 5 }
            """);

        Assert.Equal(TimeSpan.FromSeconds(5), config.GetDuration("broker-a.timeout"));
        Assert.Equal(5, config.GetInt("broker-a.retries"));
        Assert.Equal(3, config.GetInt("defaults.retries"));
    }

    [Fact]
    public void Quoted_path_in_substitution()
    {
        var config = Hocon.Parse("\"a.b\" = 7\nx = ${\"a.b\"}");

        Assert.Equal(7, config.GetInt("x"));
    }

    [Fact]
    public void Substitution_cycle_is_reported_with_the_path_and_line()
    {
        var error = Hocon.ParseError("a = ${b}\nb = ${c}\nc = ${a}");

        Assert.Contains("substitution cycle", error.Message);
        Assert.Contains("${a}", error.Message);
        Assert.Equal("test.conf", error.File);
        Assert.InRange(error.Line, 1, 3);
    }

    [Fact]
    public void Undefined_required_substitution_names_the_path_file_and_line()
    {
        var error = Hocon.ParseError("a = 1\nb = ${missing.setting}");

        Assert.Equal(2, error.Line);
        Assert.Equal(5, error.Column);
        Assert.Contains("missing.setting", error.Message);
        Assert.StartsWith("test.conf:2:5:", error.Message);
    }

    [Fact]
    public void Mixing_object_and_string_in_concatenation_is_an_error()
    {
        var error = Hocon.ParseError("o = { a = 1 }\nx = ${o} hello");

        Assert.Contains("cannot concatenate", error.Message);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Substituted_scalar_reports_the_line_of_the_substitution()
    {
        var config = Hocon.Parse("default-port = 1\n\nport = ${default-port}");

        Assert.Equal(3, config.Origin("port")!.Line);
    }
}
