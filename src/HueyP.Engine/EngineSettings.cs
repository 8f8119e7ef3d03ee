using HueyP.Domain.Decisions;

namespace HueyP.Engine;

public enum EngineMode
{
    /// <summary>Recorded data on its own clock: nothing is dropped or reordered, and the record hash is reproducible.</summary>
    Replay,

    /// <summary>Real-time quotes: a lagging symbol's stale quotes are conflated (latest wins) so it catches up.</summary>
    Live,
}

/// <summary>
/// Everything the node decides before the engine starts. The decision options are the domain's; the rest says which
/// symbols trade, how quotes flow and where the decision records go.
/// </summary>
public sealed record EngineSettings
{
    public EngineMode Mode { get; init; } = EngineMode.Replay;

    /// <summary>Strategy, reentry, gate, agent and policy options (constraints are replaced by <see cref="ConstraintsPath"/> when set).</summary>
    public DecisionEngineOptions Decision { get; init; } = new();

    /// <summary>
    /// Symbols the engine trades. A quote for any other symbol is counted and skipped: it would only produce policy
    /// rejections. Empty means "the policy's allowed symbols".
    /// </summary>
    public IReadOnlyList<string> Symbols { get; init; } = [];

    /// <summary>The constraint repository (e.g. data/constraints.json); null keeps <see cref="DecisionEngineOptions.Constraints"/>.</summary>
    public string? ConstraintsPath { get; init; }

    /// <summary>JSONL file receiving one canonical decision record per line; null records nothing on disk (counts and hash still kept).</summary>
    public string? RecordsPath { get; init; }

    /// <summary>
    /// What the symbol knows besides quotes (portfolio, broker, calendar). Its NowUtc is replaced by each quote's time:
    /// the engine never reads a clock. The order side will feed live values here later.
    /// </summary>
    public DecisionEnvironment Environment { get; init; } = new() { NowUtc = DateTime.UnixEpoch };

    /// <summary>Replay is cut into slices of data time; every symbol finishes a slice before the next starts.</summary>
    public TimeSpan ReplaySlice { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Bound of the feed → router channel: a fast reader waits instead of filling memory.</summary>
    public int ChannelCapacity { get; init; } = 16_384;

    /// <summary>How long the router waits for a symbol to finish a slice before it calls the replay failed.</summary>
    public TimeSpan SliceAckTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Live: quotes a symbol may have in flight before newer ones replace the waiting one (conflation).</summary>
    public int LiveCreditsPerSymbol { get; init; } = 4;

    /// <summary>Closed bars a symbol keeps to re-warm its indicators after a restart (beyond this, re-warming is approximate).</summary>
    public int RewarmBarLimit { get; init; } = 20_000;

    /// <summary>
    /// Live only: where each symbol's indicators come from when the process starts — the bars the previous active
    /// journaled, recorded data, or nothing (cold). Replay ignores it. With <see cref="HueyP.Engine.Symbols.WarmStartSource.Journal"/>
    /// the engine also journals every closed bar (one small event per bar and symbol, off the symbols' path).
    /// </summary>
    public HueyP.Engine.Symbols.SymbolWarmStartSettings WarmStart { get; init; } = HueyP.Engine.Symbols.SymbolWarmStartSettings.None;

    /// <summary>Restarts allowed per symbol within <see cref="SymbolRestartWindow"/> before it is stopped.</summary>
    public int SymbolMaxRestarts { get; init; } = 50;

    public TimeSpan SymbolRestartWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The order side (intake, orders, paper broker, ledger under /user/engine). When set and no order side is passed
    /// to <see cref="EngineHost.StartAsync"/>, the host builds one; it needs a journal (persistence installed). In live
    /// mode the host reconciles the journal with the broker before it returns. Null: intents are only counted.
    /// </summary>
    public Orders.OrderSideSettings? Orders { get; init; }

    /// <summary>Symbols actually traded: <see cref="Symbols"/>, else the policy's allow-list.</summary>
    public IReadOnlyList<string> EffectiveSymbols =>
        Symbols.Count > 0 ? Symbols : Decision.Policy.AllowedSymbols;
}
