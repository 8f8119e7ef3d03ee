using HueyP.Domain.Bars;
using HueyP.Domain.Strategy;
using HueyP.Node.Admin;
using HueyP.Node.Logging;
using Serilog.Events;

namespace HueyP.Node.Configuration;

public sealed record NodeIdentity(string Name, string Mode, string Role, string RunDir);

public sealed record EngineNodeSettings(IReadOnlyList<string> Symbols, string ConstraintsPath, string RecordsPath, EmaCrossoverOptions Strategy)
{
    /// <summary>hueyp.engine.warm-start (and warm-up-data.path): how a live engine's symbols warm when the node starts or takes over.</summary>
    public HueyP.Engine.Symbols.SymbolWarmStartSettings WarmStart { get; init; } = HueyP.Engine.Symbols.SymbolWarmStartSettings.None;
}

public sealed record ActorSettings(int Throughput, TimeSpan AskTimeout);

public sealed record PersistenceSettings(string Provider, string SqlitePath, string SqliteSynchronous, string PostgresConnectionString, long MaxEventBytes)
{
    public string Location => Provider == "sqlite" ? SqlitePath : RedactedConnectionString;

    private string RedactedConnectionString =>
        HueyP.Hocon.HoconRedactor.RedactInlineSecrets(PostgresConnectionString);
}

/// <summary>Everything the node reads from configuration, typed and validated.</summary>
public sealed record NodeSettings(
    NodeIdentity Node,
    AdminSettings Admin,
    LoggingSettings Logging,
    ActorSettings Actors,
    EngineNodeSettings Engine,
    TradingSettings Trading,
    PersistenceSettings Persistence)
{
    public static NodeSettings Read(SettingsReader read)
    {
        var node = new NodeIdentity(
            read.String("hueyp.node.name", "hueyp-1"),
            read.OneOf("hueyp.node.mode", "paper", "paper", "live"),
            read.OneOf("hueyp.node.role", "standalone", "standalone", "candidate"),
            read.String("hueyp.node.run-dir", "run"));
        if (node.Mode == "live")
        {
            read.Error("hueyp.node.mode", "live", "live trading needs a broker connection, which this version does not have; use paper");
        }

        var admin = new AdminSettings(
            read.String("hueyp.admin.host", "127.0.0.1"),
            read.Int("hueyp.admin.port", 9110, 0, 65535),
            read.String("hueyp.admin.token-file", Path.Combine(node.RunDir, "admin.token")),
            read.Bool("hueyp.admin.allow-remote", false));
        if (!System.Net.IPAddress.TryParse(admin.Host, out _))
        {
            read.Error("hueyp.admin.host", admin.Host, "must be an IP address such as 127.0.0.1");
        }

        var overrides = read.Map("hueyp.logging.overrides")
            .ToDictionary(kv => kv.Key, kv => read.Enum($"hueyp.logging.overrides.\"{kv.Key}\"", LogEventLevel.Information));
        var logging = new LoggingSettings(
            read.Enum("hueyp.logging.level", LogEventLevel.Information),
            overrides,
            read.String("hueyp.logging.file", Path.Combine(node.RunDir, "logs", "hueyp-.json")),
            read.Bool("hueyp.logging.console", true));

        var actors = new ActorSettings(
            read.Int("hueyp.actors.throughput", 30, 1, 10_000),
            read.Duration("hueyp.actors.ask-timeout", TimeSpan.FromSeconds(5)));

        var engine = new EngineNodeSettings(
            read.StringList("hueyp.engine.symbols", ["EURUSD", "GBPUSD"]),
            read.String("hueyp.engine.constraints", "data/constraints.json"),
            read.String("hueyp.engine.records", Path.Combine(node.RunDir, "decisions.jsonl")),
            ReadStrategy(read))
        {
            WarmStart = ReadWarmStart(read),
        };
        foreach (var symbol in engine.Symbols.Where(s => s.Length is < 3 or > 12 || !s.All(char.IsAsciiLetterOrDigit)))
        {
            read.Error("hueyp.engine.symbols", symbol, "a symbol is 3 to 12 letters or digits, e.g. EURUSD");
        }

        var persistence = new PersistenceSettings(
            read.OneOf("hueyp.persistence.provider", "sqlite", "sqlite", "postgresql"),
            read.String("hueyp.persistence.sqlite.path", Path.Combine(node.RunDir, "hueyp.db")),
            read.OneOf("hueyp.persistence.sqlite.synchronous", "NORMAL", "NORMAL", "FULL").ToUpperInvariant(),
            read.String("hueyp.persistence.postgresql.connection-string", ""),
            read.ByteSize("hueyp.persistence.max-event-size", 256 * 1024));
        if (persistence.Provider == "postgresql" && string.IsNullOrWhiteSpace(persistence.PostgresConnectionString))
        {
            read.Error("hueyp.persistence.postgresql.connection-string", "\"\"", "must be set when hueyp.persistence.provider = postgresql (or set HUEYP_PG)");
        }

        return new NodeSettings(node, admin, logging, actors, engine, TradingSettings.Read(read, engine.Strategy), persistence);
    }

    /// <summary>
    /// hueyp.engine.warm-start: journal (default), warm-up-data (then hueyp.engine.warm-up-data.path must name an existing
    /// file or folder) or none.
    /// </summary>
    private static HueyP.Engine.Symbols.SymbolWarmStartSettings ReadWarmStart(SettingsReader read)
    {
        var source = read.OneOf("hueyp.engine.warm-start", "journal", "journal", "warm-up-data", "none") switch
        {
            "warm-up-data" => HueyP.Engine.Symbols.WarmStartSource.WarmUpData,
            "none" => HueyP.Engine.Symbols.WarmStartSource.None,
            _ => HueyP.Engine.Symbols.WarmStartSource.Journal,
        };
        var path = read.String("hueyp.engine.warm-up-data.path", "");
        var settings = new HueyP.Engine.Symbols.SymbolWarmStartSettings { Source = source, WarmUpDataPath = path.Length > 0 ? path : null };
        if (source == HueyP.Engine.Symbols.WarmStartSource.WarmUpData)
        {
            if (path.Length == 0)
            {
                read.Error("hueyp.engine.warm-up-data.path", "\"\"", "must name a recorded data file or folder (as hueyp replay --data takes) when hueyp.engine.warm-start = warm-up-data");
            }
            else if (!File.Exists(path) && !Directory.Exists(path))
            {
                read.Error("hueyp.engine.warm-up-data.path", path, "no such file or folder");
            }
        }

        return settings;
    }

    /// <summary>
    /// hueyp.strategy.*: the domain validates the values (ranges, fast below slow); its keys
    /// (hueyp.strategy.ema_crossover.fast_period) name the HOCON ones (hueyp.strategy.fast-period), so each error is
    /// reported at the file and line where the value was set.
    /// </summary>
    private static EmaCrossoverOptions ReadStrategy(SettingsReader read)
    {
        const string prefix = "hueyp.strategy.";
        var defaults = EmaCrossoverOptions.Default;
        var timeframeText = read.String(prefix + "timeframe", defaults.Timeframe.ToString());
        if (!TimeframeExtensions.TryParse(timeframeText, out var timeframe))
        {
            read.Error(prefix + "timeframe", timeframeText, "must be one of M1, M5, M15, M30, H1, H4, D1");
            timeframe = defaults.Timeframe;
        }

        var strategy = defaults with
        {
            Timeframe = timeframe,
            FastPeriod = read.Int(prefix + "fast-period", defaults.FastPeriod, int.MinValue, int.MaxValue),
            SlowPeriod = read.Int(prefix + "slow-period", defaults.SlowPeriod, int.MinValue, int.MaxValue),
            RsiPeriod = read.Int(prefix + "rsi-period", defaults.RsiPeriod, int.MinValue, int.MaxValue),
            RsiOverbought = read.Double(prefix + "rsi-overbought", defaults.RsiOverbought, double.MinValue, double.MaxValue),
            RsiOversold = read.Double(prefix + "rsi-oversold", defaults.RsiOversold, double.MinValue, double.MaxValue),
            AtrPeriod = read.Int(prefix + "atr-period", defaults.AtrPeriod, int.MinValue, int.MaxValue),
            StopLossAtrMultiple = read.Double(prefix + "stop-loss-atr-multiple", defaults.StopLossAtrMultiple, double.MinValue, double.MaxValue),
            TakeProfitAtrMultiple = read.Double(prefix + "take-profit-atr-multiple", defaults.TakeProfitAtrMultiple, double.MinValue, double.MaxValue),
        };
        foreach (var error in strategy.Validate())
        {
            var setting = error.Key[(error.Key.LastIndexOf('.') + 1)..].Replace('_', '-');
            read.Error(prefix + setting, error.Value, error.Rule.Replace('_', '-'));
        }

        return strategy;
    }
}
