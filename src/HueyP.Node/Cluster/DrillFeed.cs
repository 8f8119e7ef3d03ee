using HueyP.Domain.Market;
using HueyP.MarketData.Ticks;

namespace HueyP.Node.Cluster;

/// <summary>hueyp.cluster.drill-feed.*: a recorded tick file the active node feeds its own engine (drills and tests).</summary>
public sealed record DrillFeedSettings(string File, string? Symbol, int TicksPerSecond, TimeSpan Rewind)
{
    public static readonly DrillFeedSettings Off = new("", null, 2000, TimeSpan.FromMinutes(20));

    public bool Enabled => File.Length > 0;
}

/// <summary>
/// The active node's market for failover drills, without an EA: the ticks of a recorded file go into the live engine at
/// a steady rate, so real decisions and orders flow while nodes are killed. The data runs in laps, each shifted by
/// whole weeks, so data time only moves forward and every lap falls on the weekdays it was recorded on. Every heartbeat records how far the feed got (data time); the next
/// active starts <see cref="DrillFeedSettings.Rewind"/> before that point, so its symbols re-warm on bars the old active
/// already saw: the orders decided there again come back from the intake as idempotent replays, and only data the old
/// active never saw makes new orders. Deterministic up to where a kill lands.
/// </summary>
public sealed class DrillFeed : IAsyncDisposable
{
    private const int StepsPerSecond = 100;
    private readonly Quote[] _quotes;
    private readonly TimeSpan _lap;
    private readonly DrillFeedSettings _settings;
    private readonly TimeProvider _clock;
    private CancellationTokenSource? _running;
    private Task? _loop;
    private long _fedUntilTicks;
    private long _fed;
    private volatile bool _paused;

    private DrillFeed(Quote[] quotes, DrillFeedSettings settings, TimeProvider clock)
    {
        _quotes = quotes;
        _settings = settings;
        _clock = clock;
        var span = quotes[^1].TimeUtc - quotes[0].TimeUtc;
        // Whole weeks, so every lap trades on the weekdays the file was recorded on: a lap shifted by whole days would
        // sooner or later replay a Thursday's ticks on a Saturday, when the market is closed and no order is made.
        _lap = TimeSpan.FromDays(7 * Math.Max(1, Math.Ceiling((span.TotalDays + 1e-9) / 7)));
    }

    /// <summary>Reads the whole file once (a day of ticks is a few MB), so a takeover can seek at once.</summary>
    public static DrillFeed Load(DrillFeedSettings settings, TimeProvider clock)
    {
        if (!System.IO.File.Exists(settings.File)) throw new FileNotFoundException($"hueyp.cluster.drill-feed.file: no such file {settings.File}", settings.File);
        var symbol = settings.Symbol is { Length: > 0 } s ? s : Path.GetFileName(settings.File).Split('_')[0];
        var quotes = new List<Quote>();
        using (var reader = new TickFileReader(new TickFileOptions { Path = settings.File, Symbol = symbol }))
        {
            while (reader.TryRead(out var quote)) quotes.Add(quote);
        }

        if (quotes.Count < 2) throw new InvalidDataException($"hueyp.cluster.drill-feed.file: {settings.File} has fewer than two valid ticks");
        return new DrillFeed([.. quotes], settings, clock);
    }

    /// <summary>Data time of the last tick fed, or null before the first one.</summary>
    public DateTime? FedUntil => Interlocked.Read(ref _fedUntilTicks) is var t and > 0 ? new DateTime(t, DateTimeKind.Utc) : null;

    /// <summary>Ticks fed by this node so far, over all its terms.</summary>
    public long Fed => Interlocked.Read(ref _fed);

    /// <summary>
    /// A paused feed sends nothing until resumed (and the market holds still): lets an operator compare
    /// `hueyp state rebuild` with the node's state without a quote landing between the two reads. Kept across terms.
    /// </summary>
    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }

    public string File => _settings.File;

    /// <summary>Starts feeding <paramref name="publish"/> from <see cref="DrillFeedSettings.Rewind"/> before <paramref name="resumeAfter"/>.</summary>
    public void Start(DateTime? resumeAfter, Action<Quote> publish)
    {
        if (_loop is not null) return;
        var from = resumeAfter is { } at ? at - _settings.Rewind : DateTime.MinValue;
        _running = new CancellationTokenSource();
        _loop = Task.Run(() => RunAsync(Position(from), publish, _running.Token));
    }

    /// <summary>Stops feeding (a term ended); the next <see cref="Start"/> seeks again.</summary>
    public async Task StopAsync()
    {
        if (_running is null || _loop is null) return;
        await _running.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _running.Dispose();
        _running = null;
        _loop = null;
    }

    /// <summary>The (lap, index) of the first tick after <paramref name="from"/>.</summary>
    private (long Lap, int Index) Position(DateTime from)
    {
        if (from <= _quotes[0].TimeUtc) return (0, 0);
        var lap = (long)((from - _quotes[0].TimeUtc).Ticks / _lap.Ticks);
        var within = from - _lap * lap;
        var index = Array.BinarySearch(_quotes, new Quote("", within, 0, 0), QuoteTimeComparer.Instance);
        index = index < 0 ? ~index : index + 1;
        while (index < _quotes.Length && _quotes[index].TimeUtc <= within) index++;
        return index >= _quotes.Length ? (lap + 1, 0) : (lap, index);
    }

    private async Task RunAsync((long Lap, int Index) position, Action<Quote> publish, CancellationToken ct)
    {
        var perStep = Math.Max(1, _settings.TicksPerSecond / StepsPerSecond);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / StepsPerSecond), _clock);
        var (lap, index) = position;
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            if (_paused) continue;
            for (var i = 0; i < perStep; i++)
            {
                var quote = _quotes[index];
                var shifted = quote with { TimeUtc = quote.TimeUtc + _lap * lap };
                publish(shifted);
                Interlocked.Exchange(ref _fedUntilTicks, shifted.TimeUtc.Ticks);
                Interlocked.Increment(ref _fed);
                if (++index == _quotes.Length) (lap, index) = (lap + 1, 0);
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private sealed class QuoteTimeComparer : IComparer<Quote>
    {
        public static readonly QuoteTimeComparer Instance = new();

        public int Compare(Quote x, Quote y) => x.TimeUtc.CompareTo(y.TimeUtc);
    }
}
