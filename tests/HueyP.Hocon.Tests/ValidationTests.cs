namespace HueyP.Hocon.Tests;

public sealed class ValidationTests
{
    [Fact]
    public void Validation_error_reads_key_value_file_line_and_message()
    {
        var config = Hocon.Parse("hueyp {\n  admin {\n    port = 70000\n  }\n}");

        var error = ConfigValidationError.For("hueyp.admin.port", config.Origin("hueyp.admin.port"), "must be in 1..65535", config.GetString("hueyp.admin.port"));

        Assert.Equal("hueyp.admin.port = 70000 (test.conf:3): must be in 1..65535", error.ToString());
        Assert.Equal("hueyp.admin.port (hocon/paper.conf:12): is required", new ConfigValidationError("hueyp.admin.port", "hocon/paper.conf", 12, "is required").ToString());
    }

    private static readonly HoconConfig Reference = Hocon.Parse("""
        hueyp {
          admin { port = 8080, bind = "127.0.0.1" }
          risk { max-lots = 10 }
          hosts = []
        }
        other.thing = 1
        """);

    [Fact]
    public void Unknown_keys_are_reported_with_origin_and_a_suggestion()
    {
        var user = Hocon.Parse("hueyp {\n  admin.prot = 9000\n  risk.max-lots = 2\n  hosts = [a]\n  zzzzzzzzzzzz = 1\n}\nunrelated = 1");

        var unknown = UnknownKeyCheck.Find(user, Reference, "hueyp");

        Assert.Equal(2, unknown.Count);
        Assert.Equal(new UnknownKey("hueyp.admin.prot", new HoconOrigin("test.conf", 2, 16), "hueyp.admin.port"), unknown[0]);
        Assert.Equal("hueyp.admin.prot (test.conf:2): unknown setting; did you mean hueyp.admin.port?", unknown[0].ToString());
        Assert.Equal("hueyp.zzzzzzzzzzzz", unknown[1].Key);
        Assert.Null(unknown[1].Suggestion);
    }

    [Fact]
    public void Wildcard_segment_accepts_any_map_key()
    {
        var user = Hocon.Parse("hueyp.accounts.demo-1.login = 1\nhueyp.accounts.demo-1.lgoin = 1");

        var unknown = UnknownKeyCheck.Find(user, ["hueyp.accounts.*.login"], "hueyp");

        Assert.Equal(["hueyp.accounts.demo-1.lgoin"], unknown.Select(u => u.Key));
    }

    [Fact]
    public void Empty_prefix_checks_the_whole_file()
    {
        var unknown = UnknownKeyCheck.Find(Hocon.Parse("othre.thing = 1"), Reference, "");

        Assert.Equal("other.thing", Assert.Single(unknown).Suggestion);
    }
}
