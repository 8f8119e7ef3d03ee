using HueyP.Node.Hosting;

namespace HueyP.Node.Tests;

/// <summary>A real node on a free loopback port with its own run folder, as `hueyp node run` would start it.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private TestNode(string folder, string configFile, RunningNode node)
    {
        Folder = folder;
        ConfigFile = configFile;
        Node = node;
    }

    public string Folder { get; }
    public string ConfigFile { get; }
    public RunningNode Node { get; }
    public string Address => Node.Admin.Address;
    public string TokenFile => Path.Combine(Folder, "admin.token");

    public string[] Cli(params string[] args) => [.. args, "--node", Address, "--token-file", TokenFile];

    public static async Task<TestNode> StartAsync(string extraConfig = "")
    {
        var folder = Directory.CreateTempSubdirectory("hueyp-node-test").FullName;
        var configFile = Path.Combine(folder, "test.conf");
        var reference = Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf");
        await File.WriteAllTextAsync(configFile, $$"""
            include "{{reference}}"
            hueyp {
              node { name = "test-node", run-dir = "{{folder}}" }
              admin.port = 0
              logging.console = off
              engine.constraints = "{{Path.Combine(AppContext.BaseDirectory, "data", "constraints.json")}}"
            }
            {{extraConfig}}
            """);
        var node = await NodeHost.StartAsync(configFile, TextWriter.Null);
        return new TestNode(folder, configFile, node);
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be closing; the OS temp cleaner gets it.
        }
    }
}
