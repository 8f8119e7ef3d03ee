using System.Text.Json;

namespace HueyP.Hocon.Tests;

public sealed class RendererTests
{
    private static readonly HoconConfig Config = Hocon.Parse("""
        hueyp {
          admin { port = 8080, password = hunter2, token = abc }
          bridge.hmac-key = "s3cr3t"
          bridge.keep-alive = 5s
          db.connection-string = "Host=db;Username=hueyp;Password=pa55;Database=trades"
          api { clientSecret = xyz, monkey = banana }
          optional-key = null
          ratio = 0.5
          enabled = true
          hosts = [a, b]
        }
        """);

    [Fact]
    public void Json_redaction_hides_secret_keys_and_connection_string_passwords()
    {
        var json = HoconRenderer.ToJson(Config, redact: true);
        var hueyp = JsonDocument.Parse(json).RootElement.GetProperty("hueyp");

        Assert.Equal("<redacted>", hueyp.GetProperty("admin").GetProperty("password").GetString());
        Assert.Equal("<redacted>", hueyp.GetProperty("admin").GetProperty("token").GetString());
        Assert.Equal("<redacted>", hueyp.GetProperty("bridge").GetProperty("hmac-key").GetString());
        Assert.Equal("<redacted>", hueyp.GetProperty("api").GetProperty("clientSecret").GetString());
        Assert.Equal("Host=db;Username=hueyp;Password=<redacted>;Database=trades", hueyp.GetProperty("db").GetProperty("connection-string").GetString());
        Assert.Equal("5s", hueyp.GetProperty("bridge").GetProperty("keep-alive").GetString());
        Assert.Equal("banana", hueyp.GetProperty("api").GetProperty("monkey").GetString());
        Assert.Equal(8080, hueyp.GetProperty("admin").GetProperty("port").GetInt32());
        Assert.Equal(JsonValueKind.Null, hueyp.GetProperty("optional-key").ValueKind);
        Assert.DoesNotContain("hunter2", json);
        Assert.DoesNotContain("pa55", json);
    }

    [Fact]
    public void Json_without_redaction_shows_everything_with_types()
    {
        var hueyp = JsonDocument.Parse(HoconRenderer.ToJson(Config, redact: false)).RootElement.GetProperty("hueyp");

        Assert.Equal("hunter2", hueyp.GetProperty("admin").GetProperty("password").GetString());
        Assert.Equal(0.5, hueyp.GetProperty("ratio").GetDouble());
        Assert.True(hueyp.GetProperty("enabled").GetBoolean());
        Assert.Equal(2, hueyp.GetProperty("hosts").GetArrayLength());
    }

    [Fact]
    public void Hocon_output_is_redacted_and_parses_back_to_the_same_values()
    {
        var text = HoconRenderer.ToHocon(Config, redact: true);
        var reparsed = Hocon.Parse(text);

        Assert.DoesNotContain("hunter2", text);
        Assert.Equal("<redacted>", reparsed.GetString("hueyp.admin.password"));
        Assert.Equal(8080, reparsed.GetInt("hueyp.admin.port"));
        Assert.Equal(["a", "b"], reparsed.GetStringList("hueyp.hosts"));
        Assert.Equal("5s", reparsed.GetString("hueyp.bridge.keep-alive"));
    }

    [Fact]
    public void Hocon_output_can_show_where_each_value_came_from()
    {
        var text = HoconRenderer.ToHocon(Config, redact: true, withOrigins: true);

        Assert.Contains("# test.conf:2", text);
    }
}
