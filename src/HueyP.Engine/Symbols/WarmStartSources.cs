using HueyP.Domain.Bars;
using HueyP.Domain.Market;
using HueyP.Engine.Feeds;
using HueyP.Persistence;

namespace HueyP.Engine.Symbols;

/// <summary>
/// What a warm start found for one symbol: closed bars (oldest first, one per open time) and, from recorded data, the
/// quotes of the bar the first live quote falls in that came before it. <see cref="Complete"/>: no older history was cut.
/// </summary>
internal sealed record WarmStartData(IReadOnlyList<Bar> Bars, IReadOnlyList<Quote> BarInProgress, bool Complete, DateTime? LatestStoredBarOpenUtc)
{
    public static readonly WarmStartData Empty = new([], [], true, null);

    /// <summary>
    /// Only history strictly before the first live quote: closed bars that opened before the first quote's bar, and
    /// quotes of that bar older than the first quote. Anything later (a feed that starts before where the old active
    /// stopped, as the cluster drill feed does) is left to the live quotes themselves.
    /// </summary>
    public WarmStartData Before(DateTime firstQuoteUtc, Timeframe timeframe, int maxBars)
    {
        var barOpen = timeframe.BarOpen(firstQuoteUtc);
        var bars = Bars.Where(b => b.OpenTimeUtc < barOpen).ToList();
        var cut = Math.Max(0, bars.Count - maxBars);
        var inProgress = BarInProgress.Where(q => q.TimeUtc < firstQuoteUtc && timeframe.BarOpen(q.TimeUtc) == barOpen).ToList();
        return new WarmStartData(bars.GetRange(cut, bars.Count - cut), inProgress, Complete && cut == 0, LatestStoredBarOpenUtc);
    }
}

/// <summary>Where a symbol's warm-start history is read from.</summary>
internal interface IWarmStartSource
{
    WarmStartSource Source { get; }

    /// <summary>True when reading needs the first live quote's time (recorded data is read up to it); false: read at once.</summary>
    bool NeedsFirstQuote { get; }

    Task<WarmStartData> LoadAsync(string symbol, Timeframe timeframe, DateTime? firstQuoteUtc, int maxBars, CancellationToken ct = default);
}

internal static class WarmStartSources
{
    /// <summary>The source the settings name, or null for none (or for journal without a journal installed: said in the log by the caller).</summary>
    public static IWarmStartSource? For(SymbolWarmStartSettings settings, PersistenceStore? journal) => settings.Source switch
    {
        WarmStartSource.Journal when journal is not null => new JournalWarmStart(journal),
        WarmStartSource.WarmUpData when settings.WarmUpDataPath is { Length: > 0 } path => new WarmUpDataWarmStart(path),
        _ => null,
    };
}

/// <summary>
/// The symbol's bar stream as the previous active journaled it: the last <c>maxBars</c> events, read on one
/// connection when the symbol starts (before its first quote arrives, so a takeover does not wait for it).
/// </summary>
internal sealed class JournalWarmStart(PersistenceStore store) : IWarmStartSource
{
    public WarmStartSource Source => WarmStartSource.Journal;
    public bool NeedsFirstQuote => false;

    public async Task<WarmStartData> LoadAsync(string symbol, Timeframe timeframe, DateTime? firstQuoteUtc, int maxBars, CancellationToken ct = default)
    {
        var id = SymbolBars.PersistenceId(symbol, timeframe);
        var highest = await store.Journal.ReadHighestSequenceNrAsync(id, 0, ct).ConfigureAwait(false);
        if (highest == 0) return WarmStartData.Empty;
        var from = Math.Max(1, highest - maxBars + 1);
        // A bar stored twice (a write retried after its answer was lost) is kept once: the later copy wins.
        var byOpen = new SortedDictionary<DateTime, Bar>();
        await store.Journal.ReplayMessagesAsync(id, from, highest, long.MaxValue, repr =>
        {
            if (repr.Payload is SymbolBarClosed bar) byOpen[bar.OpenTimeUtc] = bar.ToBar();
        }, ct).ConfigureAwait(false);
        var bars = byOpen.Values.ToList();
        return new WarmStartData(bars, [], from == 1, bars.Count > 0 ? bars[^1].OpenTimeUtc : null);
    }
}

/// <summary>
/// Recorded data (a file or folder in any format `hueyp replay --data` reads), built into bars of the strategy's
/// timeframe by the same <see cref="BarBuilder"/> the live path uses, up to the first live quote.
/// </summary>
internal sealed class WarmUpDataWarmStart(string path) : IWarmStartSource
{
    public WarmStartSource Source => WarmStartSource.WarmUpData;
    public bool NeedsFirstQuote => true;

    public Task<WarmStartData> LoadAsync(string symbol, Timeframe timeframe, DateTime? firstQuoteUtc, int maxBars, CancellationToken ct = default) =>
        Task.Run(() => Read(symbol, timeframe, firstQuoteUtc ?? DateTime.MaxValue, maxBars, ct), ct);

    private WarmStartData Read(string symbol, Timeframe timeframe, DateTime until, int maxBars, CancellationToken ct)
    {
        var sources = ReplaySourceFinder.Find([path], [symbol]);
        var builder = new BarBuilder(symbol, timeframe);
        var bars = new Queue<Bar>();
        var current = new List<Quote>();
        var complete = true;
        var read = 0;
        using (var reader = sources.Feed.OpenReader())
        {
            while (reader.TryRead(out var quote))
            {
                if ((++read & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
                if (!string.Equals(quote.Symbol, symbol, StringComparison.Ordinal)) continue;
                // Recorded data is in time order: the first quote at or after the live one ends the warm-up.
                if (quote.TimeUtc >= until) break;
                var update = builder.Add(quote, out var closed);
                if (update == BarUpdate.ClosedAndOpened) Keep(closed);

                if (update is BarUpdate.Opened or BarUpdate.Updated or BarUpdate.ClosedAndOpened) current.Add(quote);
            }
        }

        // The last bar read is closed by the live quotes unless the first of them falls in it.
        if (builder.Current is { } last && (until == DateTime.MaxValue || last.OpenTimeUtc < timeframe.BarOpen(until))) Keep(last);

        return new WarmStartData([.. bars], current, complete, null);

        // A closed bar ends the bar in progress; beyond maxBars the oldest goes, and the history is no longer complete.
        void Keep(in Bar bar)
        {
            bars.Enqueue(bar);
            current.Clear();
            if (bars.Count <= maxBars) return;
            bars.Dequeue();
            complete = false;
        }
    }
}

/// <summary>The configured source cannot be used on this engine (no journal installed): every symbol reports why and starts cold.</summary>
internal sealed class UnavailableWarmStart(WarmStartSource source, string problem) : IWarmStartSource
{
    public WarmStartSource Source => source;
    public bool NeedsFirstQuote => false;

    public Task<WarmStartData> LoadAsync(string symbol, Timeframe timeframe, DateTime? firstQuoteUtc, int maxBars, CancellationToken ct = default) =>
        Task.FromException<WarmStartData>(new InvalidOperationException(problem));
}
