using System.Collections.Immutable;
using HueyP.Domain.Ledger;
using HueyP.Domain.Modes;
using HueyP.Domain.Strategy;
using HueyP.Domain.Symbols;
using HueyP.Engine.Ledger;
using HueyP.Engine.Modes;
using HueyP.Engine.Symbols;
using HueyP.Node.Telemetry;

namespace HueyP.Node.Tests.Telemetry;

/// <summary>Inputs for telemetry tests: settings in a temporary folder, a fixed clock, ledger and symbol figures.</summary>
internal static class TelemetryFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static TelemetrySettings Settings(string folder, TimeSpan? staleAfter = null) =>
        TelemetrySettings.Defaults(folder) with { NavStaleAfter = staleAfter ?? TimeSpan.FromSeconds(30), SampleInterval = TimeSpan.FromHours(1), WriteInterval = TimeSpan.FromHours(1) };

    public static string TempFolder() => Directory.CreateTempSubdirectory("hueyp-telemetry-test").FullName;

    /// <summary>A ledger 3% below its peak: NAV 97,000 after a peak of 100,000.</summary>
    public static LedgerView LedgerThreePercentDown()
    {
        var open = LedgerState.Open(new LedgerOptions(), 100_000m, T0.UtcDateTime);
        var state = open with
        {
            Cash = 97_000m,
            PeakNav = 100_000m,
            MaxDrawdown = 3_000m,
            MaxDrawdownFraction = 0.03m,
            SessionOpenNav = 100_000m,
            SessionPeakNav = 100_000m,
            Positions = open.Positions.Add("EURUSD", new Position("EURUSD", 10_000m, 1.08m, 0m)),
            Marks = open.Marks.Add("EURUSD", new Mark(1.08m, 1.0801m, T0.UtcDateTime)),
        };
        return new LedgerView(state, 12, 3, 0, 0);
    }

    public static SymbolStatus Symbol(string symbol, long quotes, DateTime? lastQuote = null) =>
        new(symbol, SymbolState.Idle, quotes, 0, 0, 0, 0, new IndicatorSnapshot(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN), lastQuote);

    public static ModeStatus StatusOf(Mode mode, params ModeCondition[] conditions) =>
        new(mode, mode.Display(), conditions, ModePermissions.For(mode), ImmutableDictionary<HueyP.Domain.Health.HealthPath, DateTimeOffset>.Empty,
            null, null, null, null, T0);
}
