using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HueyP.Actors;
using HueyP.Domain.Bars;
using HueyP.Engine;
using HueyP.Engine.Feeds;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using HueyP.MarketData.Validation;
using HueyP.Node.Cli;
using HueyP.Node.Configuration;
using HueyP.Node.Hosting;
using Spectre.Console;

namespace HueyP.Node.Palettes.Replay;

/// <summary>
/// `hueyp replay`: runs the tick-to-decision pipeline (the engine's actor tree) over recorded data on the data's own
/// clock, then prints the account and the SHA-256 over the decision records, so two runs can be compared by one line.
/// Uses a standalone actor system: a replay must not touch a running node.
/// </summary>
public sealed class ReplayPalette : ICommandPalette
{
    private const string DataHelp =
        "Files or folders of recorded data. Recognized by name: SYMBOL_M1_BID_*.csv[.gz] with its SYMBOL_M1_ASK_* twin " +
        "(Dukascopy 1-minute bars, four quotes per bar); SYMBOL_ticks_*.csv[.gz] (HistData ticks, New York standard time, +5 h); " +
        "any other *.csv[.gz] is a tick file with a symbol column on UTC (SyntheticTickFile). Example: --data data/fx";

    // Plain '+' and quotes in file descriptions: the output is for people and scripts, not for embedding in HTML.
    private static readonly JsonSerializerOptions JsonOutput = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public Command Build(CliContext context)
    {
        var replay = new Command("replay", "Replay recorded market data through the decision pipeline and print the decisions' account and hash");
        var data = new Option<string[]>("--data", "-d") { Description = DataHelp, Required = true, AllowMultipleArgumentsPerToken = true };
        var symbols = new Option<string?>("--symbols") { Description = "Comma-separated allow-list, e.g. EURUSD,GBPUSD; ticks of other symbols are counted and skipped (default: every symbol named by the file names; for tick files with a symbol column, the 28 majors)" };
        var from = new Option<string?>("--from") { Description = "Start of the window in data time, ISO 8601 UTC (inclusive)" };
        var to = new Option<string?>("--to") { Description = "End of the window in data time, ISO 8601 UTC (exclusive)" };
        var strict = new Option<bool>("--strict") { Description = "Stop at the first bad row instead of skipping and counting it" };
        var records = new Option<string?>("--records") { Description = "Write every decision record to this JSONL file" };
        var constraints = new Option<string?>("--constraints") { Description = "Constraint repository (default data/constraints.json when present)" };
        var timeframe = new Option<string?>("--timeframe") { Description = "Bar timeframe of the strategy: M1, M5, M15 (default), M30, H1, H4, D1" };
        var noOrders = new Option<bool>("--no-orders") { Description = "Decisions only: no order side, no journal (the decision hash alone)" };
        var db = new Option<string?>("--db") { Description = "SQLite journal for orders, fills and ledger (default: a new temp file). An existing journal resumes after its last completed slice" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the paper broker's partial-fill generator", DefaultValueFactory = _ => 42 };
        var dashboard = new Option<bool>("--dashboard") { Description = "Serve the admin API and the dashboard (hueyp.admin.host/port, token in hueyp.admin.token-file) while the replay runs; prints the address first" };
        var serve = new Option<bool>("--serve") { Description = "With --dashboard: keep serving after the replay (the final state) until Ctrl-C" };
        foreach (var option in new Option[] { data, symbols, from, to, strict, records, constraints, timeframe, noOrders, db, seed, dashboard, serve }) replay.Options.Add(option);

        replay.SetAction(async (parsed, ct) =>
        {
            var json = context.WantsJson(parsed);
            var allowList = Split(parsed.GetValue(symbols));
            var window = new ReplayWindow(ParseTime(parsed.GetValue(from), "--from"), ParseTime(parsed.GetValue(to), "--to"));
            ReplaySources sources;
            try
            {
                sources = ReplaySourceFinder.Find(parsed.GetValue(data)!, allowList, parsed.GetValue(strict));
            }
            catch (FileNotFoundException e)
            {
                throw new CommandFailedException(e.Message);
            }

            var configuration = ReplayRun.Configuration(parsed.GetValue(context.ConfigFile));
            var settings = new EngineSettings
            {
                Mode = EngineMode.Replay,
                Decision = configuration.Settings!.Trading.Decision,
                Symbols = allowList.Count > 0 ? allowList : sources.Symbols.Count > 0 ? sources.Symbols : HueyP.MarketData.Synthetic.SyntheticSymbol.Majors28.Select(s => s.Name).ToList(),
                ConstraintsPath = parsed.GetValue(constraints) ?? (File.Exists("data/constraints.json") ? "data/constraints.json" : null),
                RecordsPath = parsed.GetValue(records),
            };
            if (parsed.GetValue(timeframe) is { } tf)
            {
                if (!TimeframeExtensions.TryParse(tf, out var parsedTimeframe)) throw new CommandFailedException($"--timeframe {tf}: must be one of M1, M5, M15, M30, H1, H4, D1");
                settings = settings with { Decision = settings.Decision with { Strategy = settings.Decision.Strategy with { Timeframe = parsedTimeframe } } };
            }

            var deck = new DeckOptions(parsed.GetValue(dashboard) || parsed.GetValue(serve), parsed.GetValue(serve));
            if (parsed.GetValue(serve) && !parsed.GetValue(dashboard)) throw new CommandFailedException("--serve keeps the dashboard up after the replay: add --dashboard");
            if (deck.Dashboard && parsed.GetValue(noOrders)) throw new CommandFailedException("--dashboard shows the replay's orders, fills and P&L: drop --no-orders");
            if (!parsed.GetValue(noOrders))
                return await RunWithOrdersAsync(context, json, settings, sources, window, parsed.GetValue(db), parsed.GetValue(seed), configuration, parsed.GetValue(data)!, deck, ct);

            using var system = ActorSystem.Create("hueyp-replay");
            ReplayResult result;
            try
            {
                await using var engine = await EngineHost.StartAsync(system, settings);
                var interactive = !json && context.Output == Console.Out && !Console.IsOutputRedirected;
                result = interactive
                    ? await RunWithProgressAsync(context, engine, sources, window, ct)
                    : await engine.RunReplayAsync(sources.Feed, window, null, ct);
            }
            catch (EngineStartException e)
            {
                throw new CommandFailedException(e.Message);
            }
            catch (FeedDataException e)
            {
                throw new CommandFailedException($"bad data (--strict): {e.Message}");
            }

            var summary = Summary(result, sources, settings);
            if (json) context.Output.WriteLine(summary.ToJsonString(JsonOutput));
            else Render(context, result, sources, settings);
            return ExitCodes.Ok;
        });
        return replay;
    }

    /// <summary>
    /// The replay with the order side: intents become journaled orders, the seeded paper broker fills them on the
    /// data, the ledger books the fills. The summary adds orders, fills, rejects by reason code, P&amp;L, NAV and the
    /// state hash (ledger and orders), which is identical for identical data and options on a fresh journal.
    /// </summary>
    private static async Task<int> RunWithOrdersAsync(CliContext context, bool json, EngineSettings settings, ReplaySources sources,
        ReplayWindow window, string? db, ulong seed, LoadedConfiguration configuration, IReadOnlyList<string> data, DeckOptions deck, CancellationToken ct)
    {
        var path = db ?? Path.Combine(Path.GetTempPath(), $"hueyp-replay-{Guid.NewGuid():N}.db");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        OrderedReplayResult result;
        await using var run = ReplayRun.Begin(configuration, path, data);
        try
        {
            var orderSide = EngineConfiguration.OrderSide(configuration.Settings!, settings.Symbols, seed);
            var journal = new JournalSettings { Provider = JournalProvider.Sqlite, Path = path };
            if (deck.Dashboard)
            {
                return await RunWithDashboardAsync(context, json, settings, orderSide, journal, sources, window, configuration, run, deck, ct);
            }

            result = await OrderedReplay.RunAsync(settings, orderSide, journal, sources.Feed, window, null, "hueyp-replay", ct, run.LoggerFactory);
            run.Log.Information("Replay decided {Signals} signals, {Orders} orders, {Fills} fills; decision hash {Hash}; state hash {State}",
                result.Replay.Records.Signals, result.Orders.Orders, result.Orders.Fills, result.Replay.Records.Hash, result.Orders.StateHash);
        }
        catch (EngineStartException e)
        {
            throw new CommandFailedException(e.Message);
        }
        catch (FeedDataException e)
        {
            throw new CommandFailedException($"bad data (--strict): {e.Message}");
        }

        Report(context, json, result, sources, settings, path);
        return ExitCodes.Ok;
    }

    private sealed record DeckOptions(bool Dashboard, bool Serve);

    /// <summary>
    /// <see cref="OrderedReplay.RunAsync"/> step for step (same actor system settings, journal, order side and engine),
    /// with the admin API, the dashboard and telemetry watching: the address is printed before the first tick, and with
    /// --serve the page stays up on the final state until Ctrl-C.
    /// </summary>
    private static async Task<int> RunWithDashboardAsync(CliContext context, bool json, EngineSettings settings, OrderSideSettings orderSide,
        JournalSettings journal, ReplaySources sources, ReplayWindow window, LoadedConfiguration configuration, ReplayRun run, DeckOptions deck, CancellationToken ct)
    {
        var probes = ReplayDashboard.ProbesOf(configuration);
        var system = ActorSystem.Create("hueyp-replay", ActorSystemSettings.Default with { LoggerFactory = run.LoggerFactory });
        await using var store = JournalFactory.Create(journal, EngineEvents.Serializer());
        try
        {
            await store.InitializeAsync(ct);
            HueyP.Persistence.PersistentActors.Persistence.Install(system, store);
            probes?.AttachJournal(store.WriteStats);
            var side = new OrderSide(orderSide);
            OrderedReplayResult result;
            await using (var host = await EngineHost.StartAsync(system, settings, observer: probes, orderSide: side))
            {
                await using var dashboard = await ReplayDashboard.StartAsync(configuration, run, system, host, store, ct);
                // Before the first tick, where a person (or run.sh's reader) sees it; on stderr when stdout carries JSON.
                var announce = json ? context.Error : context.Output;
                announce.WriteLine($"dashboard: {dashboard.Url} (token: {dashboard.TokenFile})");
                announce.Flush();
                var replay = await host.RunReplayAsync(sources.Feed, window, null, ct);
                result = new OrderedReplayResult(replay, await side.SummarizeAsync(ct));
                run.Log.Information("Replay decided {Signals} signals, {Orders} orders, {Fills} fills; decision hash {Hash}; state hash {State}",
                    result.Replay.Records.Signals, result.Orders.Orders, result.Orders.Fills, result.Replay.Records.Hash, result.Orders.StateHash);
                Report(context, json, result, sources, settings, journal.Path!);
                if (deck.Serve)
                {
                    announce.WriteLine($"dashboard: still serving {dashboard.Url} on the replay's final state; Ctrl-C stops it");
                    announce.Flush();
                    try
                    {
                        await Task.Delay(Timeout.Infinite, ct);
                    }
                    catch (OperationCanceledException)
                    {
                        // Ctrl-C: stop serving, in order.
                    }
                }
            }

            return ExitCodes.Ok;
        }
        catch (EngineStartException e)
        {
            throw new CommandFailedException(e.Message);
        }
        catch (FeedDataException e)
        {
            throw new CommandFailedException($"bad data (--strict): {e.Message}");
        }
        finally
        {
            probes?.Dispose();
            await system.Terminate();
        }
    }

    private static void Report(CliContext context, bool json, OrderedReplayResult result, ReplaySources sources, EngineSettings settings, string path)
    {
        var summary = Summary(result.Replay, sources, settings);
        summary["orders"] = OrdersSummary(result.Orders, path);
        if (json) context.Output.WriteLine(summary.ToJsonString(JsonOutput));
        else
        {
            Render(context, result.Replay, sources, settings);
            RenderOrders(context, result.Orders, path);
        }
    }

    internal static JsonObject OrdersSummary(OrderSideSummary o, string db)
    {
        var rejects = new JsonObject();
        foreach (var (code, count) in o.RejectsByReason) rejects[code] = count;
        return new JsonObject
        {
            ["journal"] = db,
            ["resumed_after"] = o.ResumedAfterUtc?.ToString("O", CultureInfo.InvariantCulture),
            ["orders"] = o.Orders,
            ["submitted"] = o.Submitted,
            ["filled_orders"] = o.Filled,
            ["fills"] = o.Fills,
            ["rejects"] = rejects,
            ["realized_pnl"] = o.RealizedPnl,
            ["unrealized_pnl"] = o.UnrealizedPnl,
            ["fees"] = o.Fees,
            ["nav"] = o.Nav,
            ["ledger_hash"] = o.LedgerHash,
            ["orders_hash"] = o.OrdersHash,
            ["state_hash"] = o.StateHash,
        };
    }

    private static void RenderOrders(CliContext context, OrderSideSummary o, string db)
    {
        var n = CultureInfo.InvariantCulture;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("orders").AddColumn(new TableColumn("").RightAligned());
        table.AddRow("journal", Markup.Escape(db));
        if (o.ResumedAfterUtc is { } resumed) table.AddRow("resumed after", resumed.ToString("u", n));
        table.AddRow("orders", o.Orders.ToString("N0", n));
        table.AddRow("submitted", o.Submitted.ToString("N0", n));
        table.AddRow("filled orders", o.Filled.ToString("N0", n));
        table.AddRow("fills (entries and exits)", o.Fills.ToString("N0", n));
        foreach (var (code, count) in o.RejectsByReason) table.AddRow($"  rejected: {Markup.Escape(code)}", count.ToString("N0", n));
        table.AddRow("realized P&L", o.RealizedPnl.ToString("N2", n));
        table.AddRow("unrealized P&L", o.UnrealizedPnl.ToString("N2", n));
        table.AddRow("fees", o.Fees.ToString("N2", n));
        table.AddRow("NAV", o.Nav.ToString("N2", n));
        context.Console.Write(table);
        context.Console.MarkupLineInterpolated($"state sha256 [bold]{o.StateHash}[/] (ledger {o.LedgerHash[..12]}, orders {o.OrdersHash[..12]})");
    }

    private static async Task<ReplayResult> RunWithProgressAsync(CliContext context, EngineHost engine, ReplaySources sources, ReplayWindow window, CancellationToken ct)
    {
        ReplayResult? result = null;
        var started = DateTime.UtcNow;
        await context.Console.Progress()
            .AutoClear(true)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn(), new ElapsedTimeColumn())
            .StartAsync(async progressContext =>
            {
                var task = progressContext.AddTask("replaying").IsIndeterminate();
                var progress = new Progress<ReplayProgress>(p =>
                {
                    var rate = p.Quotes / Math.Max(0.001, (DateTime.UtcNow - started).TotalSeconds);
                    task.Description = $"{p.Quotes:N0} ticks, {rate:N0} ticks/s, data time {p.DataTimeUtc:yyyy-MM-dd HH:mm}";
                });
                result = await engine.RunReplayAsync(sources.Feed, window, progress, ct);
                task.StopTask();
            });
        return result!;
    }

    internal static JsonObject Summary(ReplayResult result, ReplaySources sources, EngineSettings settings)
    {
        var rejections = new JsonObject();
        foreach (var (reason, count) in result.Records.RejectionsByReason) rejections[reason] = count;
        var examples = new JsonArray();
        foreach (var example in result.Feed.Examples) examples.Add(example.ToString());
        return new JsonObject
        {
            ["sources"] = new JsonArray(sources.Descriptions.Select(d => (JsonNode)d!).ToArray()),
            ["symbols"] = new JsonArray(settings.Symbols.Select(s => (JsonNode)s!).ToArray()),
            ["ticks"] = result.Quotes,
            ["bad_rows"] = result.Feed.TotalRejects,
            ["bad_row_examples"] = examples,
            ["unknown_symbol_ticks"] = result.UnknownSymbolQuotes,
            ["outside_window_ticks"] = result.OutsideWindowQuotes,
            ["signals"] = result.Records.Signals,
            ["intents"] = result.Records.Intents,
            ["rejections"] = rejections,
            ["symbol_restarts"] = result.SymbolRestarts,
            ["elapsed_s"] = Math.Round(result.Elapsed.TotalSeconds, 3),
            ["ticks_per_s"] = Math.Round(result.QuotesPerSecond),
            ["records_file"] = settings.RecordsPath,
            ["sha256"] = result.Records.Hash,
        };
    }

    private static void Render(CliContext context, ReplayResult result, ReplaySources sources, EngineSettings settings)
    {
        var console = context.Console;
        foreach (var source in sources.Descriptions) console.MarkupLineInterpolated($"[grey]source[/] {source}");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("").RightAligned()).HideHeaders();
        table.AddRow("symbols", Markup.Escape(string.Join(",", settings.Symbols)));
        table.AddRow("ticks", result.Quotes.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("bad rows", result.Feed.TotalRejects.ToString("N0", CultureInfo.InvariantCulture));
        if (result.UnknownSymbolQuotes > 0) table.AddRow("ticks of other symbols (skipped)", result.UnknownSymbolQuotes.ToString("N0", CultureInfo.InvariantCulture));
        if (result.OutsideWindowQuotes > 0) table.AddRow("ticks outside --from/--to", result.OutsideWindowQuotes.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("signals", result.Records.Signals.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("order intents", result.Records.Intents.ToString("N0", CultureInfo.InvariantCulture));
        foreach (var (reason, count) in result.Records.RejectionsByReason)
            table.AddRow($"  no order: {Markup.Escape(reason)}", count.ToString("N0", CultureInfo.InvariantCulture));
        if (result.SymbolRestarts > 0) table.AddRow("symbol restarts", result.SymbolRestarts.ToString(CultureInfo.InvariantCulture));
        table.AddRow("elapsed", $"{result.Elapsed.TotalSeconds:0.000} s");
        table.AddRow("ticks/s", result.QuotesPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        if (settings.RecordsPath is { } path) table.AddRow("records", Markup.Escape(path));
        console.Write(table);
        foreach (var example in result.Feed.Examples) console.MarkupLineInterpolated($"[yellow]bad row[/] {example.ToString()}");
        console.MarkupLineInterpolated($"sha256 [bold]{result.Records.Hash}[/]");
    }

    private static IReadOnlyList<string> Split(string? list) =>
        string.IsNullOrWhiteSpace(list) ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToUpperInvariant()).ToList();

    private static DateTime? ParseTime(string? text, string option)
    {
        if (text is null) return null;
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)) return time;
        throw new CommandFailedException($"{option} {text}: not an ISO 8601 time (e.g. 2025-04-01 or 2025-04-01T12:00:00Z)");
    }
}
