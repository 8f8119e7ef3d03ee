using HueyP.Engine.Orders;
using HueyP.Node.Cli;
using HueyP.Node.Hosting;

namespace HueyP.Node.Tests;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hueyp-config-test").FullName;

    private string Write(string body)
    {
        var reference = Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf");
        var file = Path.Combine(_folder, "bad.conf");
        File.WriteAllText(file, $"include \"{reference}\"\nhueyp.node.run-dir = \"{_folder}/run\"\n{body}\n");
        return file;
    }

    [Fact]
    public async Task The_main_job_configuration_is_valid()
    {
        var run = await CliHarness.RunAsync("config", "check", "--file", Path.Combine(AppContext.BaseDirectory, "hocon", "paper.conf"));

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("valid", run.Output);
    }

    [Theory]
    [InlineData("node-a.conf")]
    [InlineData("node-b.conf")]
    public async Task A_cluster_node_without_a_database_says_which_setting_is_missing(string name)
    {
        var run = await CliHarness.RunAsync("config", "check", "--file", Path.Combine(AppContext.BaseDirectory, "hocon", name));

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains("hueyp.persistence.postgresql.connection-string", run.Error);
        Assert.Contains("HUEYP_PG", run.Error);
    }

    [Fact]
    public async Task A_port_out_of_range_names_the_key_the_file_and_the_line()
    {
        var file = Write("hueyp.admin.port = 70000");

        var run = await CliHarness.RunAsync("config", "check", "--file", file);

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains($"hueyp.admin.port = 70000 ({file}:3): must be in 0..65535", run.Error);
    }

    [Fact]
    public async Task A_mistyped_key_is_reported_with_a_suggestion()
    {
        var file = Write("hueyp.admin.prot = 9000");

        var run = await CliHarness.RunAsync("config", "check", "--file", file);

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains("hueyp.admin.prot", run.Error);
        Assert.Contains($"{file}:3", run.Error);
        Assert.Contains("did you mean hueyp.admin.port", run.Error);
    }

    [Fact]
    public async Task A_bad_duration_and_a_bad_choice_are_both_reported_at_once()
    {
        var file = Write("hueyp.actors.ask-timeout = soon\nhueyp.persistence.provider = mongodb");

        var run = await CliHarness.RunAsync("config", "check", "--file", file);

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains("hueyp.actors.ask-timeout = soon", run.Error);
        Assert.Contains("hueyp.persistence.provider = mongodb", run.Error);
        Assert.Contains("must be one of sqlite, postgresql", run.Error);
    }

    [Fact]
    public async Task Strategy_parameters_are_validated_at_the_key_file_and_line_where_they_were_set()
    {
        var file = Write("hueyp.strategy { fast-period = 40, slow-period = 26 }\nhueyp.strategy.timeframe = M7");

        var run = await CliHarness.RunAsync("config", "check", "--file", file);

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains($"hueyp.strategy.fast-period = 40 ({file}:3): must be less than slow-period (26)", run.Error);
        Assert.Contains($"hueyp.strategy.timeframe = M7 ({file}:4)", run.Error);
    }

    [Fact]
    public async Task Risk_percent_and_drawdown_outside_their_ranges_are_reported_where_they_were_set()
    {
        var file = Write("hueyp.reentry.account-risk-pct = 7.5\nhueyp.policy.max-daily-drawdown-pct = 0");

        var run = await CliHarness.RunAsync("config", "check", "--file", file);

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains($"hueyp.reentry.account-risk-pct = 7.5 ({file}:3): must be in [0, 5]", run.Error);
        Assert.Contains($"hueyp.policy.max-daily-drawdown-pct = 0 ({file}:4): must be in (0, 100]", run.Error);
    }

    [Fact]
    public async Task A_reentry_profile_with_a_bad_anchor_or_sizing_names_its_face()
    {
        var file = Write("hueyp.reentry.profiles.4 { sizing = 1.5, price-anchor = \"close\" }");

        var run = await CliHarness.RunAsync("config", "check", "--file", file);

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains($"hueyp.reentry.profiles.4.price-anchor = close ({file}:3): must be one of mid, last", run.Error);
        Assert.Contains($"hueyp.reentry.profiles.4.sizing = 1.5 ({file}:3): must be in [0,1]", run.Error);
    }

    [Fact]
    public async Task A_mode_threshold_that_enters_above_where_it_recovers_is_refused()
    {
        var file = Write("hueyp.modes.comm { enter = 90, recover = 85 }");

        var run = await CliHarness.RunAsync("config", "check", "--file", file);

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains($"hueyp.modes.comm.enter = 90 ({file}:3): must be below comm.recover (85)", run.Error);
    }

    [Fact]
    public async Task What_a_journal_outage_does_is_configured_and_a_bad_choice_is_refused_where_it_was_set()
    {
        var halt = HueyP.Node.Configuration.NodeConfiguration.Load(Write("hueyp.modes.journal-outage = safe-mode"));
        Assert.Empty(halt.Errors);
        Assert.Equal(HueyP.Engine.Health.JournalOutageAction.SafeMode, halt.Settings!.Trading.JournalOutage);
        Assert.Equal(HueyP.Engine.Health.JournalOutageAction.DegradedExec, HueyP.Node.Configuration.NodeConfiguration.Load(Write("")).Settings!.Trading.JournalOutage);

        var file = Write("hueyp.modes.journal-outage = shrug");
        var run = await CliHarness.RunAsync("config", "check", "--file", file);

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains($"hueyp.modes.journal-outage = shrug ({file}:3): must be one of degraded-exec, safe-mode", run.Error);
    }

    [Fact]
    public async Task How_recent_an_unsent_order_is_resent_at_start_up_reaches_the_order_side_and_a_negative_window_is_refused()
    {
        var loaded = HueyP.Node.Configuration.NodeConfiguration.Load(Write("hueyp.engine.resend-unsent-within = 5s"));
        Assert.Empty(loaded.Errors);
        Assert.Equal(TimeSpan.FromSeconds(5), HueyP.Node.Configuration.EngineConfiguration.LiveEngine(loaded.Settings!).Orders!.ResendUnsentWithin);
        Assert.Equal(TimeSpan.FromSeconds(30),
            HueyP.Node.Configuration.EngineConfiguration.LiveEngine(HueyP.Node.Configuration.NodeConfiguration.Load(Write("")).Settings!).Orders!.ResendUnsentWithin);

        var file = Write("hueyp.engine.resend-unsent-within = -1s");
        var run = await CliHarness.RunAsync("config", "check", "--file", file);

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains($"hueyp.engine.resend-unsent-within = -1s ({file}:3): must be a duration", run.Error);
    }

    [Fact]
    public void How_long_finished_orders_stay_in_memory_reaches_the_order_side_and_0s_keeps_them()
    {
        OrderSideSettings Orders(string text)
        {
            var loaded = HueyP.Node.Configuration.NodeConfiguration.Load(Write(text));
            Assert.Empty(loaded.Errors);
            return HueyP.Node.Configuration.EngineConfiguration.LiveEngine(loaded.Settings!).Orders!;
        }

        Assert.Equal(TimeSpan.FromMilliseconds(250), Orders("").PassivateFinishedAfter);
        Assert.Equal(TimeSpan.FromMinutes(1), Orders("hueyp.engine.passivate-finished-orders-after = 1m").PassivateFinishedAfter);
        Assert.Null(Orders("hueyp.engine.passivate-finished-orders-after = 0s").PassivateFinishedAfter);
    }

    [Fact]
    public async Task Policy_thresholds_in_the_file_reach_the_engine()
    {
        var file = Write("hueyp.policy { min-confidence = 0.75, pair-correlation-action = scale }\nhueyp.reentry.profiles.6.delay = 5m");

        var loaded = HueyP.Node.Configuration.NodeConfiguration.Load(file);

        Assert.Empty(loaded.Errors);
        var engine = HueyP.Node.Configuration.EngineConfiguration.LiveEngine(loaded.Settings!);
        Assert.Equal(0.75, engine.Decision.Policy.MinConfidence);
        Assert.Equal(HueyP.Domain.Policy.PairCorrelationAction.Scale, engine.Decision.Policy.PairCorrelationAction);
        Assert.Equal(300, engine.Decision.Reentry.Profile(6).DelaySeconds);
    }

    [Fact]
    public async Task A_syntax_error_names_file_and_line()
    {
        var file = Write("hueyp.admin { port = 9000");

        var run = await CliHarness.RunAsync("config", "check", "--file", file);

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains(file, run.Error);
    }

    [Fact]
    public async Task An_invalid_configuration_stops_the_node_before_anything_starts()
    {
        var file = Write("hueyp.admin.port = 70000");

        var failure = await Assert.ThrowsAsync<CommandFailedException>(() => NodeHost.StartAsync(file, TextWriter.Null));

        Assert.Contains("hueyp.admin.port", failure.Message);
        Assert.False(File.Exists(Path.Combine(_folder, "run", "manifest.json")));
        Assert.False(File.Exists(Path.Combine(_folder, "run", "admin.token")));
    }

    [Theory]
    [InlineData("this is not a connection string", "is not usable")]
    [InlineData("Host=127.0.0.1;Port=1;Username=hueyp;Password=s3cret-pw;Database=hueyp;Timeout=2", "cannot be opened")]
    public async Task A_bad_journal_connection_stops_the_node_naming_the_setting(string connectionString, string problem)
    {
        var file = Write($"hueyp.persistence.provider = postgresql\nhueyp.persistence.postgresql.connection-string = \"{connectionString}\"");

        var failure = await Assert.ThrowsAsync<CommandFailedException>(() => NodeHost.StartAsync(file, TextWriter.Null));

        Assert.Contains("hueyp.persistence.postgresql.connection-string", failure.Message);
        Assert.Contains(problem, failure.Message);
        Assert.DoesNotContain("s3cret-pw", failure.Message);
        Assert.False(File.Exists(Path.Combine(_folder, "run", "manifest.json")));
    }

    [Fact]
    public async Task Config_show_redacts_the_database_password()
    {
        var file = Write("hueyp.persistence.postgresql.connection-string = \"Host=db;Username=hueyp;Password=hunter2secret\"");

        var run = await CliHarness.RunAsync("config", "show", "--file", file, "--format", "json");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.DoesNotContain("hunter2secret", run.Output);
        Assert.Contains("hueyp", run.Output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
