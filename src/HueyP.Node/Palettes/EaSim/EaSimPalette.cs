using System.CommandLine;
using System.Net;
using System.Text.Json;
using HueyP.Bridge.Simulator;
using HueyP.Domain.Market;
using HueyP.MarketData.Ticks;
using HueyP.Node.Bridge;
using HueyP.Node.Cli;
using HueyP.Node.Configuration;

namespace HueyP.Node.Palettes.EaSim;

/// <summary>
/// `hueyp ea-sim`: the MT4 Expert Advisor simulator as a command. Connects to a running node's bridge over the configured
/// transports (socket, pipe, spool), streams ticks from a data file, executes and ACKs the orders it receives, and prints
/// its witness counts as one JSON object: the outside check of "no lost signal, no duplicate order".
/// </summary>
public sealed class EaSimPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var command = new Command("ea-sim", "Play the MT4 EA against a running node's bridge: stream ticks, execute and ACK orders, print witness counts as JSON");
        var data = new Option<string?>("--data") { Description = "Tick file to stream (ts_event_ns,timestamp_as_stored,bid,ask,... optionally .gz), e.g. data/fx/EURUSD_ticks_2020-01-30.csv.gz" };
        var symbol = new Option<string?>("--symbol") { Description = "Symbol of the file's rows (default: the file name up to the first '_')" };
        var ticks = new Option<int>("--ticks") { Description = "Stop streaming after this many ticks (0: the whole file)", DefaultValueFactory = _ => 0 };
        var interval = new Option<double>("--tick-interval-ms") { Description = "Pause between ticks; keep it above 1000 / the bridge's rate limit", DefaultValueFactory = _ => 10 };
        var duration = new Option<double>("--duration-s") { Description = "Run this long (0: until the data ends, then --linger-s more for orders)", DefaultValueFactory = _ => 0 };
        var linger = new Option<double>("--linger-s") { Description = "After the data ends, keep receiving orders this long", DefaultValueFactory = _ => 5 };
        var socket = new Option<string?>("--socket") { Description = "Bridge socket host:port, or several nodes' as host:port,host:port (the EA trades with the active one and follows it; default: this node's, then hueyp.bridge.peers)" };
        var pipe = new Option<string?>("--pipe") { Description = "Bridge pipe (Unix socket path / pipe name; default from configuration)" };
        var spool = new Option<string?>("--spool") { Description = "Bridge spool directory (default from configuration)" };
        var legacy = new Option<bool>("--legacy") { Description = "Play a v1.0 EA that never negotiates" };
        var witnessFile = new Option<string?>("--witness-file")
        {
            Description = "Append one JSON line per order received (event executed / duplicate_delivery / expired, order_id, message_id, executions so far, at), flushed per line, so another process can check the EA while it runs",
        };
        var fixedQuotes = new Option<string?>("--quote")
        {
            Description = "Fixed quotes to fill orders at, streamed to nobody: SYMBOL=BID/ASK[,SYMBOL=BID/ASK...] (for a node whose market comes from elsewhere, e.g. a drill feed)",
        };
        foreach (var option in new Option[] { data, symbol, ticks, interval, duration, linger, socket, pipe, spool, legacy, witnessFile, fixedQuotes }) command.Options.Add(option);

        command.SetAction(async (parsed, ct) =>
        {
            var loaded = NodeConfiguration.Load(parsed.GetValue(context.ConfigFile));
            var bridge = loaded.Modules.OfType<BridgeModule>().FirstOrDefault()?.Settings;
            if (loaded.Errors.Count > 0 || bridge is null)
                throw new CommandFailedException($"the configuration {loaded.File} is invalid:\n  " + string.Join("\n  ", loaded.Errors));

            var socketTexts = parsed.GetValue(socket) is { } given
                ? given.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [.. bridge.Socket is { Port: > 0 } s ? [$"{s.Address}:{s.Port}"] : Array.Empty<string>(), .. bridge.Peers.Values];
            var socketEndpoints = new List<IPEndPoint>();
            foreach (var text in socketTexts)
            {
                if (!IPEndPoint.TryParse(text, out var endpoint) || endpoint.Port == 0) throw new CommandFailedException($"--socket {text} is not host:port");
                if (!socketEndpoints.Contains(endpoint)) socketEndpoints.Add(endpoint);
            }
            var prices = parsed.GetValue(fixedQuotes) is { } quoteText ? ParseQuotes(quoteText) : [];
            var hasData = parsed.GetValue(data) is not null;
            var quotes = parsed.GetValue(data) is { } file ? Quotes(file, parsed.GetValue(symbol), parsed.GetValue(ticks)) : [];
            var options = new EaSimulatorOptions
            {
                Socket = socketEndpoints.FirstOrDefault(),
                OtherSockets = socketEndpoints.Skip(1).ToList(),
                Pipe = parsed.GetValue(pipe) ?? bridge.Pipe?.UnixSocketPath,
                SpoolDirectory = parsed.GetValue(spool) ?? bridge.Spool?.Directory,
                HmacKey = bridge.HmacKey,
                Negotiate = !parsed.GetValue(legacy),
                Quotes = quotes,
                TickInterval = TimeSpan.FromMilliseconds(Math.Max(0, parsed.GetValue(interval))),
                WitnessFile = parsed.GetValue(witnessFile) is { } witnessPath ? Path.GetFullPath(witnessPath) : null,
            };

            await using var ea = Create(options);
            // The account fills at these from the first order on; they never move, so nothing executes on its own.
            foreach (var quote in prices) ea.Account.OnQuote(quote.Symbol, quote.Bid, quote.Ask, DateTimeOffset.UtcNow);
            ea.Start();
            var started = DateTime.UtcNow;
            var limit = parsed.GetValue(duration);
            DateTime? dataEnded = null;
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    await Task.Delay(100, ct);
                    var elapsed = (DateTime.UtcNow - started).TotalSeconds;
                    if (limit > 0 && elapsed >= limit) break;
                    if (limit > 0) continue;
                    if (ea.QuotesExhausted || !hasData) dataEnded ??= DateTime.UtcNow;
                    if (dataEnded is { } end && (DateTime.UtcNow - end).TotalSeconds >= parsed.GetValue(linger)) break;
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: print what was seen so far
            }

            await ea.StopAsync();
            var counts = ea.Witness.Counts();
            var report = new
            {
                executed = counts.Executed,
                duplicate_executions = counts.DuplicateExecutions,
                duplicate_deliveries = counts.DuplicateDeliveries,
                expired = counts.Expired,
                refused_frames = counts.RefusedFrames,
                ticks_sent = ea.TicksSent,
                connections = ea.Connections,
                standby_redirects = ea.StandbyRedirects,
                socket = ea.CurrentSocket?.ToString(),
                negotiated_version = ea.NegotiatedVersion is { } v ? HueyP.Bridge.Protocol.WireNames.Name(v) : null,
                seconds = Math.Round((DateTime.UtcNow - started).TotalSeconds, 1),
                notes = ea.Notes.TakeLast(20).ToList(),
            };
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(report));
            return counts.DuplicateExecutions == 0 ? ExitCodes.Ok : ExitCodes.CommandFailed;
        });
        return command;
    }

    private static EaSimulator Create(EaSimulatorOptions options)
    {
        try
        {
            return new EaSimulator(options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"--witness-file {options.WitnessFile}: cannot append to it: {e.Message}");
        }
    }

    /// <summary>SYMBOL=BID/ASK[,SYMBOL=BID/ASK...]: bid and ask positive, bid not above ask.</summary>
    private static List<(string Symbol, double Bid, double Ask)> ParseQuotes(string text)
    {
        var quotes = new List<(string Symbol, double Bid, double Ask)>();
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('=', 2, StringSplitOptions.TrimEntries);
            var prices = parts.Length == 2 ? parts[1].Split('/', StringSplitOptions.TrimEntries) : [];
            if (parts.Length != 2 || parts[0].Length == 0 || prices.Length != 2
                || !double.TryParse(prices[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var bid)
                || !double.TryParse(prices[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ask)
                || bid <= 0 || ask < bid)
                throw new CommandFailedException($"--quote {item} is not SYMBOL=BID/ASK with 0 < BID <= ASK (e.g. EURUSD=1.10500/1.10502)");
            quotes.Add((parts[0], bid, ask));
        }
        return quotes;
    }

    private static IEnumerable<Quote> Quotes(string file, string? symbol, int max)
    {
        if (!File.Exists(file)) throw new CommandFailedException($"--data {file}: no such file");
        var name = symbol ?? Path.GetFileName(file).Split('_')[0];
        return Read(new TickFileReader(new TickFileOptions { Path = file, Symbol = name }), max);
    }

    private static IEnumerable<Quote> Read(TickFileReader reader, int max)
    {
        using (reader)
        {
            var count = 0;
            while ((max <= 0 || count++ < max) && reader.TryRead(out var quote)) yield return quote;
        }
    }
}
