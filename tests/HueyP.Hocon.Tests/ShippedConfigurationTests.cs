namespace HueyP.Hocon.Tests;

/// <summary>Parses a configuration shaped like the repository's hocon/ files: reference.conf included and overridden, env overrides.</summary>
public sealed class ShippedConfigurationTests
{
    [Fact]
    public void Reference_defaults_environment_overrides_and_user_overrides_combine()
    {
        using var folder = new TempFolder();
        folder.Write("hocon/reference.conf", """
            hueyp {
              node {
                name = "hueyp-1"
                name = ${?HUEYP_NODE_NAME}
                run-dir = "run"
                run-dir = ${?HUEYP_RUN_DIR}
              }
              admin {
                port = 9110
                port = ${?HUEYP_ADMIN_PORT}
                token-file = ${hueyp.node.run-dir}"/admin.token"
              }
            }
            """);
        var paper = folder.Write("hocon/paper.conf", "include \"reference.conf\"\nhueyp.node.name = \"paper-1\"\n");
        var environment = new Dictionary<string, string> { ["HUEYP_ADMIN_PORT"] = "9200", ["HUEYP_RUN_DIR"] = "/var/hueyp" };

        var config = HoconParser.ParseFile(paper, Hocon.Options(environment));

        Assert.Equal("paper-1", config.GetString("hueyp.node.name"));
        Assert.Equal(9200, config.GetInt("hueyp.admin.port"));
        Assert.Equal("/var/hueyp/admin.token", config.GetString("hueyp.admin.token-file"));
        Assert.EndsWith("paper.conf", config.Origin("hueyp.node.name")!.File);
        Assert.EndsWith("reference.conf", config.Origin("hueyp.admin.port")!.File);
        Assert.Equal(10, config.Origin("hueyp.admin.port")!.Line);
    }
}
