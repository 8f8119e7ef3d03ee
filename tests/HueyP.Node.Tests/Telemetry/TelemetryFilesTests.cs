using System.Text.Json;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;
using HueyP.Engine.Modes;
using HueyP.Node.Logging;
using HueyP.Node.Telemetry;
using static HueyP.Node.Tests.Telemetry.TelemetryFixtures;

namespace HueyP.Node.Tests.Telemetry;

/// <summary>The rules of run/state/*.json and run/logs/*.jsonl, on the pure state with explicit (virtual) times.</summary>
public sealed class TelemetryFilesTests : IDisposable
{
    private static readonly string[] StateFiles =
    [
        TelemetryWriter.NavFileName, TelemetryWriter.PositionsFileName, TelemetryWriter.RiskFileName,
        TelemetryWriter.RouterFileName, TelemetryWriter.KpisFileName, TelemetryWriter.ExecutionFileName,
    ];

    private readonly string _folder = TempFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private JsonElement Read(TelemetrySettings settings, string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(settings.StateDir, name))).RootElement;

    [Fact]
    public void With_no_source_running_every_file_is_written_with_its_schema_and_null_figures()
    {
        var settings = Settings(_folder);
        var state = new TelemetryState(settings, TelemetryText.None, T0);

        new TelemetryWriter(settings).WriteState(state, T0.AddSeconds(5));

        foreach (var name in StateFiles)
        {
            Assert.Equal(1, Read(settings, name).GetProperty("schema").GetInt32());
        }

        var nav = Read(settings, TelemetryWriter.NavFileName);
        Assert.Equal(JsonValueKind.Null, nav.GetProperty("nav_total").ValueKind);
        Assert.True(nav.GetProperty("stale").GetBoolean());
        Assert.Equal("ledger", nav.GetProperty("sources_missing")[0].GetString());
        Assert.Equal(JsonValueKind.Null, Read(settings, TelemetryWriter.PositionsFileName).GetProperty("positions").ValueKind);
        Assert.Equal(JsonValueKind.Null, Read(settings, TelemetryWriter.RiskFileName).GetProperty("dd_frac").ValueKind);
        Assert.Equal(JsonValueKind.Null, Read(settings, TelemetryWriter.RouterFileName).GetProperty("active_transport").ValueKind);
    }

    [Fact]
    public void A_three_percent_drawdown_is_written_as_the_fraction_0_03()
    {
        var settings = Settings(_folder);
        var state = new TelemetryState(settings, TelemetryText.None, T0);
        state.OnLedger(LedgerThreePercentDown(), T0);

        new TelemetryWriter(settings).WriteState(state, T0.AddSeconds(1));

        var risk = Read(settings, TelemetryWriter.RiskFileName);
        Assert.Equal(0.03, risk.GetProperty("dd_frac").GetDouble(), 10);
        Assert.Equal(0.03, risk.GetProperty("max_dd_frac").GetDouble(), 10);
        Assert.Equal(0.03, risk.GetProperty("daily_loss_frac").GetDouble(), 10);
        Assert.Equal(0.03, Read(settings, TelemetryWriter.KpisFileName).GetProperty("max_dd_frac").GetDouble(), 10);
        Assert.Equal(97_000, Read(settings, TelemetryWriter.NavFileName).GetProperty("nav_total").GetDouble(), 6);
        var position = Read(settings, TelemetryWriter.PositionsFileName).GetProperty("positions")[0];
        Assert.Equal("EURUSD", position.GetProperty("symbol").GetString());
        Assert.Equal(10_000, position.GetProperty("quantity").GetDouble());
    }

    [Theory]
    [InlineData(10, false)]
    [InlineData(30, false)]
    [InlineData(31, true)]
    public void Nav_older_than_the_configured_age_is_flagged_stale(int ageSeconds, bool stale)
    {
        var settings = Settings(_folder, staleAfter: TimeSpan.FromSeconds(30));
        var state = new TelemetryState(settings, TelemetryText.None, T0);
        state.OnLedger(LedgerThreePercentDown(), T0);

        new TelemetryWriter(settings).WriteState(state, T0.AddSeconds(ageSeconds));

        var nav = Read(settings, TelemetryWriter.NavFileName);
        Assert.Equal(stale, nav.GetProperty("stale").GetBoolean());
        Assert.Equal(ageSeconds, nav.GetProperty("nav_age_s").GetDouble(), 6);
    }

    [Fact]
    public void Non_finite_numbers_become_null_and_every_number_in_every_file_is_finite()
    {
        var settings = Settings(_folder);
        var state = new TelemetryState(settings, TelemetryText.None, T0);
        state.OnEngineHealth(new HealthReported(T0, double.NaN, double.PositiveInfinity, 80));
        state.OnSymbol(Symbol("EURUSD", 100, T0.UtcDateTime), T0);
        state.OnSymbol(Symbol("EURUSD", 100, T0.UtcDateTime), T0);
        state.OnRouteChanged(new TransportRouteChanged("socket", "pipe", "socket down"), T0);

        new TelemetryWriter(settings).WriteState(state, T0.AddSeconds(1));

        Assert.Equal(JsonValueKind.Null, Read(settings, TelemetryWriter.RouterFileName).GetProperty("health_score").ValueKind);
        foreach (var name in StateFiles)
        {
            var text = File.ReadAllText(Path.Combine(settings.StateDir, name));
            Assert.DoesNotContain("NaN", text);
            Assert.DoesNotContain("Infinity", text);
            AssertFinite(JsonDocument.Parse(text).RootElement, name);
        }
    }

    private static void AssertFinite(JsonElement e, string where)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                Assert.True(double.IsFinite(e.GetDouble()), $"{where}: {e}");
                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) AssertFinite(p.Value, $"{where}.{p.Name}");
                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray()) AssertFinite(item, where);
                break;
        }
    }

    [Fact]
    public async Task Writes_are_atomic_a_reader_always_sees_a_whole_file_and_no_temporary_file_is_left()
    {
        var settings = Settings(_folder);
        var state = new TelemetryState(settings, TelemetryText.None, T0);
        state.OnLedger(LedgerThreePercentDown(), T0);
        var writer = new TelemetryWriter(settings);
        writer.WriteState(state, T0);
        var path = Path.Combine(settings.StateDir, TelemetryWriter.KpisFileName);
        using var stop = new CancellationTokenSource();
        var reads = 0;
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // A torn write would show up as an empty or truncated document here.
                var text = File.ReadAllText(path);
                Assert.Equal(1, JsonDocument.Parse(text).RootElement.GetProperty("schema").GetInt32());
                reads++;
                reading.TrySetResult();
            }
        });
        // The writes race the reads only once the reader runs (on a busy machine it may start after all 300).
        await reading.Task.WaitAsync(TimeSpan.FromSeconds(30));

        for (var i = 0; i < 300; i++) writer.WriteState(state, T0.AddSeconds(i));
        stop.Cancel();
        await reader;

        Assert.True(reads > 0);
        Assert.Empty(Directory.GetFiles(settings.StateDir, "*.tmp"));
    }

    [Fact]
    public void The_logs_are_append_only_earlier_lines_are_never_rewritten()
    {
        var settings = Settings(_folder);
        var state = new TelemetryState(settings, TelemetryText.None, T0);
        var writer = new TelemetryWriter(settings);
        var events = Path.Combine(settings.LogsDir, TelemetryWriter.EventsLogName);

        state.OnModeChanged(new ModeChanged(T0, Mode.Normal, Mode.DegradedComm, ["socket transport used up its restarts"]));
        writer.AppendLogs(state);
        var first = File.ReadAllText(events);
        state.OnModeChanged(new ModeChanged(T0.AddSeconds(30), Mode.DegradedComm, Mode.Normal, ["primary verified"]));
        writer.AppendLogs(state);
        writer.AppendLogs(state);
        var second = File.ReadAllText(events);

        Assert.StartsWith(first, second);
        var lines = second.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("DEGRADED_COMM", lines[0].GetProperty("to").GetString());
        Assert.Equal("socket transport used up its restarts", lines[0].GetProperty("why")[0].GetString());
        Assert.Equal("NORMAL", lines[1].GetProperty("to").GetString());
        Assert.True(File.Exists(Path.Combine(settings.LogsDir, TelemetryWriter.OrdersLogName)));
        Assert.True(File.Exists(Path.Combine(settings.LogsDir, TelemetryWriter.VetoesLogName)));
    }

    [Fact]
    public void Risk_rejections_are_logged_as_vetoes_once_each()
    {
        var settings = Settings(_folder);
        var state = new TelemetryState(settings, TelemetryText.None, T0);
        var writer = new TelemetryWriter(settings);
        var stats = new HueyP.Engine.Decisions.RecorderStats(10, 2, new Dictionary<string, long> { ["REJECT DailyDrawdownLimit"] = 3, ["REJECT MarketClosed"] = 5 }, "h", 0, 0);

        state.OnRecorder(stats, T0);
        writer.AppendLogs(state);
        state.OnRecorder(stats, T0.AddSeconds(1));
        writer.AppendLogs(state);
        state.OnRecorder(stats with { RejectionsByReason = new Dictionary<string, long> { ["REJECT DailyDrawdownLimit"] = 4, ["REJECT MarketClosed"] = 5 } }, T0.AddSeconds(2));
        writer.AppendLogs(state);

        var lines = File.ReadAllLines(Path.Combine(settings.LogsDir, TelemetryWriter.VetoesLogName)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([3L, 1L], lines.Select(l => l.GetProperty("count").GetInt64()));
        Assert.All(lines, l => Assert.Equal("REJECT DailyDrawdownLimit", l.GetProperty("reason").GetString()));
    }

    [Fact]
    public void No_secret_key_or_stack_trace_reaches_the_files()
    {
        var settings = Settings(_folder);
        var scrubber = new SecretScrubber();
        const string token = "tok_3b1f9c0d8e7a6b5c4d3e2f1a";
        scrubber.AddSecret(token);
        var state = new TelemetryState(settings, new TelemetryText(scrubber), T0);
        var writer = new TelemetryWriter(settings);
        var leaky = $"journal failed: Host=db;Password=hunter2; token {token}\n   at HueyP.Persistence.Journal.Write()\n   at HueyP.Engine.X.Y()";

        state.OnModeChanged(new ModeChanged(T0, Mode.Normal, Mode.DegradedExec, [leaky]));
        state.OnRouteChanged(new TransportRouteChanged("socket", "spool", "Bearer " + token), T0);
        state.OnError(T0, "journal", leaky);
        writer.AppendLogs(state);
        writer.WriteState(state, T0);

        var everything = string.Concat(Directory.GetFiles(settings.StateDir).Concat(Directory.GetFiles(settings.LogsDir)).Select(File.ReadAllText));
        Assert.Contains("journal failed", everything);
        Assert.DoesNotContain("hunter2", everything);
        Assert.DoesNotContain(token, everything);
        Assert.DoesNotContain(" at HueyP.", everything);
        Assert.DoesNotContain("\\n", everything);
    }

    [Fact]
    public void Ticks_per_second_come_from_the_growth_of_the_tick_count()
    {
        var settings = Settings(_folder);
        var state = new TelemetryState(settings, TelemetryText.None, T0);

        state.OnSymbol(Symbol("EURUSD", 100), T0);
        state.OnSymbol(Symbol("EURUSD", 150), T0.AddSeconds(1));
        state.OnSymbol(Symbol("EURUSD", 200), T0.AddSeconds(2));

        Assert.Equal(50, state.TicksPerSecond("EURUSD")!.Value, 6);
        var kpis = TelemetryFileBuilder.Kpis(state, T0.AddSeconds(2));
        Assert.Equal(200, kpis.Ticks);
        Assert.Null(state.TicksPerSecond("GBPUSD"));
    }
}
