using System.Globalization;

namespace HueyP.Engine.Symbols;

/// <summary>Where a live symbol's indicators come from when its process starts (a restart, or a standby taking over).</summary>
public enum WarmStartSource
{
    /// <summary>Cold: indicators start empty and need a full warm-up of live bars before the strategy signals.</summary>
    None,

    /// <summary>
    /// The closed bars the active node journals (stream <c>bars-SYMBOL-TIMEFRAME</c>, one small event per closed bar),
    /// read back before the first live quote — from the shared PostgreSQL journal after a takeover.
    /// </summary>
    Journal,

    /// <summary>A recorded tick or bar file (or folder, as <c>hueyp replay --data</c> reads it): the quotes before the first live quote.</summary>
    WarmUpData,
}

/// <summary>
/// How a live engine's symbols warm when they start. Replay ignores it: a replay warms on its own data, and its records
/// must not depend on what a journal held.
/// </summary>
public sealed record SymbolWarmStartSettings
{
    public static readonly SymbolWarmStartSettings None = new();

    public WarmStartSource Source { get; init; } = WarmStartSource.None;

    /// <summary>For <see cref="WarmStartSource.WarmUpData"/>: a data file or a folder of them.</summary>
    public string? WarmUpDataPath { get; init; }

    /// <summary>What is wrong with these settings, for the engine's start-up errors; empty when they are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (Source != WarmStartSource.WarmUpData) yield break;
        if (string.IsNullOrWhiteSpace(WarmUpDataPath))
            yield return "warm-start = warm-up-data needs a data file or folder (hueyp.engine.warm-up-data.path)";
        else if (!File.Exists(WarmUpDataPath) && !Directory.Exists(WarmUpDataPath))
            yield return $"the warm-up data {WarmUpDataPath} does not exist";
    }
}

/// <summary>
/// How a symbol was warmed at start: shown by `hueyp symbols show` and logged once per symbol. <see cref="Exact"/> is
/// false when older history was cut (indicators with long memory may differ slightly from the old active's) or when the
/// source could not be read (<see cref="Problem"/>).
/// </summary>
public sealed record SymbolWarmStartReport(
    WarmStartSource Source,
    int Bars,
    DateTime? FirstBarUtc,
    DateTime? LastBarUtc,
    int QuotesOfBarInProgress,
    bool Exact,
    string? Problem)
{
    public string Summary => Source == WarmStartSource.None ? "cold (warm-start = none)"
        : Problem is not null ? $"cold: {SourceName(Source)} unreadable ({Problem})"
        : Bars == 0 && QuotesOfBarInProgress == 0 ? $"cold: {SourceName(Source)} had no earlier bars"
        : string.Create(CultureInfo.InvariantCulture, $"{SourceName(Source)}: {Bars} bars {FirstBarUtc:yyyy-MM-ddTHH:mm}Z..{LastBarUtc:yyyy-MM-ddTHH:mm}Z")
          + (QuotesOfBarInProgress > 0 ? $" + {QuotesOfBarInProgress} quotes of the bar in progress" : "")
          + (Exact ? "" : " (approximate: older history was cut)");

    public static string SourceName(WarmStartSource source) => source switch
    {
        WarmStartSource.Journal => "journal",
        WarmStartSource.WarmUpData => "warm-up-data",
        _ => "none",
    };
}
