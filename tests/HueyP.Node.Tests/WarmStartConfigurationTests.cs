using HueyP.Engine.Symbols;
using HueyP.Node.Cli;
using HueyP.Node.Configuration;

namespace HueyP.Node.Tests;

/// <summary>hueyp.engine.warm-start and hueyp.engine.warm-up-data.path: defaults, what reaches the live engine, and refusals.</summary>
public sealed class WarmStartConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hueyp-warmstart-config-test").FullName;

    private string Write(string body)
    {
        var reference = Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf");
        var file = Path.Combine(_folder, "warm.conf");
        File.WriteAllText(file, $"include \"{reference}\"\nhueyp.node.run-dir = \"{_folder}/run\"\n{body}\n");
        return file;
    }

    [Fact]
    public void By_default_a_live_node_warm_starts_its_symbols_from_the_journal()
    {
        var loaded = NodeConfiguration.Load(Write(""));

        Assert.Empty(loaded.Errors);
        Assert.Equal(WarmStartSource.Journal, EngineConfiguration.LiveEngine(loaded.Settings!).WarmStart.Source);
    }

    [Fact]
    public void Warm_up_data_with_an_existing_folder_and_none_reach_the_live_engine()
    {
        var data = Directory.CreateDirectory(Path.Combine(_folder, "data")).FullName;
        var fromData = NodeConfiguration.Load(Write($"hueyp.engine.warm-start = warm-up-data\nhueyp.engine.warm-up-data.path = \"{data}\""));
        var cold = NodeConfiguration.Load(Write("hueyp.engine.warm-start = none"));

        Assert.Empty(fromData.Errors);
        var engine = EngineConfiguration.LiveEngine(fromData.Settings!);
        Assert.Equal(WarmStartSource.WarmUpData, engine.WarmStart.Source);
        Assert.Equal(data, engine.WarmStart.WarmUpDataPath);
        Assert.Empty(cold.Errors);
        Assert.Equal(WarmStartSource.None, EngineConfiguration.LiveEngine(cold.Settings!).WarmStart.Source);
    }

    [Fact]
    public async Task An_unknown_warm_start_is_refused_at_the_key_file_and_line_with_the_choices()
    {
        var file = Write("hueyp.engine.warm-start = snapshots");
        var run = await CliHarness.RunAsync("config", "check", "--file", file);

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains($"hueyp.engine.warm-start = snapshots ({file}:3): must be one of journal, warm-up-data, none", run.Error);
    }

    [Fact]
    public void Warm_up_data_without_a_path_or_with_a_missing_one_is_refused()
    {
        var missingPath = NodeConfiguration.Load(Write("hueyp.engine.warm-start = warm-up-data"));
        var missing = Path.Combine(_folder, "no-such-data");
        var missingData = NodeConfiguration.Load(Write($"hueyp.engine.warm-start = warm-up-data\nhueyp.engine.warm-up-data.path = \"{missing}\""));

        Assert.Contains(missingPath.Errors, e => e.StartsWith("hueyp.engine.warm-up-data.path = \"\"", StringComparison.Ordinal) && e.Contains("when hueyp.engine.warm-start = warm-up-data"));
        Assert.Contains(missingData.Errors, e => e.StartsWith($"hueyp.engine.warm-up-data.path = {missing}", StringComparison.Ordinal) && e.EndsWith("no such file or folder"));
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
