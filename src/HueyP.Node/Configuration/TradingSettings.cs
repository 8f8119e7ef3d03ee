using System.Globalization;
using HueyP.Domain.Decisions;
using HueyP.Domain.Modes;
using HueyP.Domain.Policy;
using HueyP.Domain.PreTrade;
using HueyP.Domain.Reentry;
using HueyP.Domain.Strategy;

namespace HueyP.Node.Configuration;

/// <summary>
/// What shapes trading, read from hueyp.strategy, hueyp.reentry, hueyp.policy, hueyp.modes and hueyp.pre-trade.
/// The domain validates each options record; its error keys (hueyp.policy.max_daily_drawdown_pct) are mapped to the
/// HOCON keys (hueyp.policy.max-daily-drawdown-pct) so every error is reported where the value was set.
/// </summary>
public sealed record TradingSettings(DecisionEngineOptions Decision, ModeOptions Modes, PreTradeOptions PreTrade)
{
    /// <summary>The operator-facing ceiling of risk per trade: the domain allows up to 100 %, a node never more than 5 %.</summary>
    public const double MaxAccountRiskPercent = 5;

    /// <summary>What a live engine does when its journal stops taking writes (hueyp.modes.journal-outage).</summary>
    public HueyP.Engine.Health.JournalOutageAction JournalOutage { get; init; } = HueyP.Engine.Health.JournalOutageAction.DegradedExec;

    /// <summary>hueyp.engine.resend-unsent-within: how recent an order the broker never received may be to be sent again at start-up.</summary>
    public TimeSpan ResendUnsentWithin { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>hueyp.engine.passivate-finished-orders-after: how long a finished order stays in memory; null (0s) keeps them all.</summary>
    public TimeSpan? PassivateFinishedOrdersAfter { get; init; } = TimeSpan.FromMilliseconds(250);

    public static TradingSettings Read(SettingsReader read, EmaCrossoverOptions strategy) => new(
        new DecisionEngineOptions { Strategy = strategy, Reentry = ReadReentry(read), Policy = ReadPolicy(read) },
        ReadModes(read),
        ReadPreTrade(read))
    {
        JournalOutage = read.OneOf("hueyp.modes.journal-outage", "degraded-exec", "degraded-exec", "safe-mode") == "safe-mode"
            ? HueyP.Engine.Health.JournalOutageAction.SafeMode
            : HueyP.Engine.Health.JournalOutageAction.DegradedExec,
        ResendUnsentWithin = read.Duration("hueyp.engine.resend-unsent-within", TimeSpan.FromSeconds(30)),
        PassivateFinishedOrdersAfter = read.Duration("hueyp.engine.passivate-finished-orders-after", TimeSpan.FromMilliseconds(250)) is { Ticks: > 0 } after ? after : null,
    };

    private static ReentryOptions ReadReentry(SettingsReader read)
    {
        const string prefix = "hueyp.reentry.";
        var d = ReentryOptions.Default;
        var profiles = d.Profiles.Select(p =>
        {
            var key = prefix + "profiles." + p.Face.ToString(CultureInfo.InvariantCulture) + ".";
            var anchorText = read.String(key + "price-anchor", p.PriceAnchor.ToConfigName());
            if (!PriceAnchorNames.TryParse(anchorText, out var anchor))
            {
                read.Error(key + "price-anchor", anchorText, "must be one of mid, last, vwap, bid_ask_edge, vwap_plus_bias, signal_recompute");
                anchor = p.PriceAnchor;
            }

            var delay = read.Duration(key + "delay", p.Delay);
            if (delay.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                read.Error(key + "delay", delay.ToString(), "must be whole seconds");
            }

            return new ReentryProfile(p.Face,
                read.Double(key + "sizing", p.Sizing, double.MinValue, double.MaxValue),
                (int)Math.Min(delay.TotalSeconds, int.MaxValue),
                anchor,
                read.Int(key + "max-retries", p.MaxRetries, int.MinValue, int.MaxValue));
        }).ToList();

        var options = d with
        {
            Profiles = profiles,
            LowVolatilityBelow = read.Double(prefix + "low-volatility-below", d.LowVolatilityBelow, double.MinValue, double.MaxValue),
            HighVolatilityFrom = read.Double(prefix + "high-volatility-from", d.HighVolatilityFrom, double.MinValue, double.MaxValue),
            LowVolatilityFace = read.Int(prefix + "low-volatility-face", d.LowVolatilityFace, int.MinValue, int.MaxValue),
            MidVolatilityFace = read.Int(prefix + "mid-volatility-face", d.MidVolatilityFace, int.MinValue, int.MaxValue),
            HighVolatilityFace = read.Int(prefix + "high-volatility-face", d.HighVolatilityFace, int.MinValue, int.MaxValue),
            AccountRiskPercent = read.Double(prefix + "account-risk-pct", d.AccountRiskPercent, 0, MaxAccountRiskPercent),
            MaxRiskPercent = read.Double(prefix + "max-risk-pct", d.MaxRiskPercent, 0, MaxAccountRiskPercent),
        };
        Report(read, options.Validate(), ReentryOptions.KeyPrefix, "hueyp.reentry", new Dictionary<string, string> { ["delay_s"] = "delay" });
        return options;
    }

    private static PolicyOptions ReadPolicy(SettingsReader read)
    {
        const string prefix = "hueyp.policy.";
        var d = new PolicyOptions();
        var options = d with
        {
            AllowedSymbols = read.StringList(prefix + "allowed-symbols", d.AllowedSymbols),
            MaxDataAgeSeconds = read.Duration(prefix + "max-data-age", TimeSpan.FromSeconds(d.MaxDataAgeSeconds)).TotalSeconds,
            MaxDailyDrawdownPct = read.Double(prefix + "max-daily-drawdown-pct", d.MaxDailyDrawdownPct, 0, 100, minExclusive: true),
            MinLiquidityScore = read.Double(prefix + "min-liquidity-score", d.MinLiquidityScore, double.MinValue, double.MaxValue),
            MinConfidence = read.Double(prefix + "min-confidence", d.MinConfidence, double.MinValue, double.MaxValue),
            ReviewPortfolioCorrelation = read.Double(prefix + "review-portfolio-correlation", d.ReviewPortfolioCorrelation, double.MinValue, double.MaxValue),
            PairCorrelationLimit = read.Double(prefix + "pair-correlation-limit", d.PairCorrelationLimit, double.MinValue, double.MaxValue),
            PairCorrelationAction = read.Enum(prefix + "pair-correlation-action", d.PairCorrelationAction),
            PairCorrelationScale = read.Double(prefix + "pair-correlation-scale", d.PairCorrelationScale, double.MinValue, double.MaxValue),
        };
        // An empty allow-list means "the engine's symbols"; the engine fills it in before it validates.
        var errors = options.Validate().Where(e => !e.Key.EndsWith(".allowed_symbols", StringComparison.Ordinal) || options.AllowedSymbols.Count > 0);
        Report(read, errors, PolicyOptions.KeyPrefix, "hueyp.policy", new Dictionary<string, string> { ["max_data_age_s"] = "max-data-age" });
        return options;
    }

    private static ModeOptions ReadModes(SettingsReader read)
    {
        const string prefix = "hueyp.modes.";
        var d = ModeOptions.Default;
        var options = d with
        {
            CommEnter = read.Double(prefix + "comm.enter", d.CommEnter, double.MinValue, double.MaxValue),
            CommRecover = read.Double(prefix + "comm.recover", d.CommRecover, double.MinValue, double.MaxValue),
            SignalEnter = read.Double(prefix + "signal.enter", d.SignalEnter, double.MinValue, double.MaxValue),
            SignalRecover = read.Double(prefix + "signal.recover", d.SignalRecover, double.MinValue, double.MaxValue),
            ExecEnter = read.Double(prefix + "exec.enter", d.ExecEnter, double.MinValue, double.MaxValue),
            ExecRecover = read.Double(prefix + "exec.recover", d.ExecRecover, double.MinValue, double.MaxValue),
            Dwell = read.Duration(prefix + "dwell", d.Dwell),
            FlattenOnSafeMode = read.Bool(prefix + "flatten-on-safe-mode", d.FlattenOnSafeMode),
            CachedFeaturesMaxAge = read.Duration(prefix + "cached-features-max-age", d.CachedFeaturesMaxAge),
        };
        Report(read, options.Validate(), ModeOptions.KeyPrefix, "hueyp.modes",
            new Dictionary<string, string> { ["dwell_s"] = "dwell", ["cached_features_max_age_s"] = "cached-features-max-age" });
        return options;
    }

    private static PreTradeOptions ReadPreTrade(SettingsReader read)
    {
        const string prefix = "hueyp.pre-trade.";
        var d = PreTradeOptions.Default;
        var maxPerMinute = read.Int(prefix + "max-orders-per-minute", d.MaxOrdersPerMinute, 1, 100_000);
        var options = new PreTradeOptions(
            (decimal)read.Double(prefix + "max-order-units", (double)d.MaxOrderUnits, 0, 1e12, minExclusive: true),
            (decimal)read.Double(prefix + "max-order-notional", (double)d.MaxOrderNotional, 0, 1e12, minExclusive: true),
            (decimal)read.Double(prefix + "price-collar-pct", (double)d.PriceCollarPercent, 0, 100, minExclusive: true),
            maxPerMinute,
            read.Int(prefix + "max-orders-per-minute-per-symbol", d.MaxOrdersPerMinutePerSymbol, 1, 100_000),
            read.Int(prefix + "max-cancels-per-minute", d.MaxCancelsPerMinute, 1, 100_000),
            read.Int(prefix + "max-cancels-without-fill", d.MaxCancelsWithoutFill, 1, 1_000),
            read.Int(prefix + "cancel-loop-block-bars", d.CancelLoopBlockBars, 1, 10_000));
        if (options.MaxOrdersPerMinutePerSymbol > options.MaxOrdersPerMinute)
        {
            read.Error(prefix + "max-orders-per-minute-per-symbol", options.MaxOrdersPerMinutePerSymbol.ToString(CultureInfo.InvariantCulture),
                $"must not exceed max-orders-per-minute ({options.MaxOrdersPerMinute})");
        }

        return options;
    }

    /// <summary>hueyp.x.profiles.3.delay_s → hueyp.x.profiles.3.delay: underscores become hyphens, renamed leaves renamed.</summary>
    private static void Report(SettingsReader read, IEnumerable<OptionError> errors, string domainPrefix, string hoconPrefix,
        IReadOnlyDictionary<string, string> renamed)
    {
        foreach (var error in errors)
        {
            var rest = error.Key.StartsWith(domainPrefix + ".", StringComparison.Ordinal) ? error.Key[(domainPrefix.Length + 1)..] : error.Key;
            var dot = rest.LastIndexOf('.');
            var leaf = rest[(dot + 1)..];
            leaf = renamed.TryGetValue(leaf, out var name) ? name : leaf.Replace('_', '-');
            var key = hoconPrefix + "." + (dot < 0 ? leaf : rest[..dot] + "." + leaf);
            read.Error(key, error.Value, error.Rule.Replace('_', '-'));
        }
    }
}
