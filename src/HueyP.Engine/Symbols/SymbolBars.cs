using System.Text.Json.Serialization;
using HueyP.Domain.Bars;
using HueyP.Persistence.Serialization;

namespace HueyP.Engine.Symbols;

/// <summary>
/// One closed bar of a live symbol, as the active node journals it for a later warm start (stream
/// <see cref="SymbolBars.PersistenceId"/>). The whole bar is kept, so a warm start re-warms on exactly what the
/// strategy saw; the indicators read only the open time and OHLC.
/// </summary>
public sealed record SymbolBarClosed(
    string Symbol,
    Timeframe Timeframe,
    DateTime OpenTimeUtc,
    double Open,
    double High,
    double Low,
    double Close,
    double AverageSpread,
    double MaxSpread,
    int TickCount,
    double Volume)
{
    public static SymbolBarClosed From(in Bar bar) => new(
        bar.Symbol, bar.Timeframe, bar.OpenTimeUtc, bar.Open, bar.High, bar.Low, bar.Close, bar.AverageSpread, bar.MaxSpread, bar.TickCount, bar.Volume);

    public Bar ToBar() => new(Symbol, Timeframe, OpenTimeUtc, Open, High, Low, Close, AverageSpread, MaxSpread, TickCount, Volume);
}

// Enums as names: the journal is read by people (`hueyp journal events --pid bars-EURUSD-M15`).
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(SymbolBarClosed))]
internal sealed partial class SymbolBarsJsonContext : JsonSerializerContext;

/// <summary>
/// The journal format of the symbols' closed bars. One stream per symbol and timeframe, so a node whose strategy runs
/// on another timeframe never re-warms on bars of the wrong size. Manifests are part of the format: never rename one.
/// </summary>
public static class SymbolBars
{
    public const string StreamPrefix = "bars-";

    public static string PersistenceId(string symbol, Timeframe timeframe) => $"{StreamPrefix}{symbol}-{timeframe}";

    /// <summary>
    /// Registers <see cref="SymbolBarClosed"/>. Every serializer that reads a journal the engine writes must have it
    /// (the standby's tail decodes every event), so this belongs in <see cref="EngineEvents.Serializer"/>.
    /// </summary>
    public static EventSerializer Register(EventSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        return serializer.Register("SymbolBarClosed.v1", SymbolBarsJsonContext.Default.SymbolBarClosed);
    }

    /// <summary>True when the journal's serializer can store bars; without it the engine journals none (and says so once).</summary>
    public static bool IsRegistered(EventSerializer serializer) => serializer.CanSerialize(typeof(SymbolBarClosed));
}
