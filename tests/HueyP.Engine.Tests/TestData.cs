using HueyP.Domain.Bars;
using HueyP.Domain.Decisions;
using HueyP.Engine.Feeds;

namespace HueyP.Engine.Tests;

internal static class TestData
{
    /// <summary>The shipped data is copied next to the test assembly (see the csproj).</summary>
    public static string Root { get; } = AppContext.BaseDirectory;

    public static string Fx => Path.Combine(Root, "data", "fx");

    public static string Constraints => Path.Combine(Root, "data", "constraints.json");

    /// <summary>The first week of the shipped April 2025 EURUSD and GBPUSD bars: a few seconds of replay at most.</summary>
    public static readonly ReplayWindow FirstWeekOfApril = new(new DateTime(2025, 4, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2025, 4, 8, 0, 0, 0, DateTimeKind.Utc));

    public static EngineSettings Settings(string? recordsPath = null, int fastPeriod = 12) => new()
    {
        Symbols = ["EURUSD", "GBPUSD"],
        ConstraintsPath = Constraints,
        RecordsPath = recordsPath,
        // M5 bars give a week of data enough crossings to compare replays by.
        Decision = new DecisionEngineOptions
        {
            Strategy = new() { Timeframe = Timeframe.M5, FastPeriod = fastPeriod, SlowPeriod = 26 },
        },
    };

    public static ReplaySources AprilBars() =>
        ReplaySourceFinder.Find([Path.Combine(Fx, "EURUSD_M1_BID_2025-04.csv.gz"), Path.Combine(Fx, "EURUSD_M1_ASK_2025-04.csv.gz"),
            Path.Combine(Fx, "GBPUSD_M1_BID_2025-04.csv.gz"), Path.Combine(Fx, "GBPUSD_M1_ASK_2025-04.csv.gz")]);

    public static string TempFile(string name) =>
        Path.Combine(Path.GetTempPath(), "hueyp-engine-tests", Guid.NewGuid().ToString("N"), name);
}
