using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Domain.Bars;
using HueyP.Domain.Decisions;
using HueyP.Domain.Market;
using HueyP.Domain.Symbols;
using HueyP.Engine.Agents;
using HueyP.Engine.Decisions;

namespace HueyP.Engine.Symbols;

/// <summary>
/// /user/engine/symbols/&lt;SYMBOL&gt;: owns one <see cref="SymbolDecisionEngine"/> (bars, indicators, strategy, reentry,
/// gates, agents, policy — all domain code) and the symbol's state machine. Per quote it calls the domain; per signal it
/// tells the recorder the record and, when approved, hands the order intent to the sink.
/// On restart the new incarnation re-warms from the bars kept in <see cref="SymbolMemory"/> and finishes the batch
/// that was interrupted (skipping only the quote that failed), so a crash does not change later decisions.
/// Live, when the process starts (a node restart, a standby taking over), the first incarnation warm-starts: it reads
/// the history its <see cref="SymbolWiring.WarmStart"/> source holds, holds the live quotes that arrive meanwhile, seeds
/// its memory with the bars before the first of them, re-warms, and only then applies the held quotes.
/// </summary>
internal sealed class SymbolActor : ReceiveActor, IWithTimers
{
    private const string WarmStartTimer = "warm-start";
    private readonly SymbolMemory _memory;
    private readonly SymbolWiring _wiring;
    private readonly SymbolDecisionEngine _engine;
    private readonly Timeframe _timeframe;
    private DateTime _barOpen = DateTime.MinValue;
    private DecisionEnvironment _environment;
    private bool _warming;
    private bool _loadStarted;
    private bool _loadDone;
    private WarmStartData? _loaded;
    private string? _loadProblem;

    public SymbolActor(SymbolMemory memory, SymbolWiring wiring)
    {
        _memory = memory;
        _wiring = wiring;
        var options = wiring.OptionsFor(memory.Symbol);
        _engine = new SymbolDecisionEngine(memory.Symbol, options);
        _timeframe = options.Strategy.Timeframe;
        _environment = EnvironmentAt(DateTime.UnixEpoch);
        Rewarm();

        Receive<ProcessSlice>(OnSlice);
        Receive<LiveQuote>(OnLiveQuote);
        Receive<GetSymbolStatus>(_ => Sender.Tell(Status()));
        Receive<GetEntity>(_ => Sender.Tell(new EntityFor(_memory.Symbol, Self)));
        Receive<ChangeSymbolState>(OnChangeState);
        Receive<StartSymbol>(_ => { });
        Receive<WarmStartLoaded>(OnWarmStartLoaded);
        Receive<WarmStartTimedOut>(_ => OnWarmStartLoaded(new WarmStartLoaded(null, $"not read within {_wiring.WarmStartTimeout}")));
        BeginWarmStart();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(SymbolMemory memory, SymbolWiring wiring) =>
        Actors.Props.Create(() => new SymbolActor(memory, wiring));

    private void OnSlice(ProcessSlice slice)
    {
        Begin(slice, Sender);
        var signals = ApplyFrom(slice, 0);
        Finish(slice, Sender, signals);
    }

    private void OnLiveQuote(LiveQuote live)
    {
        if (_warming)
        {
            _memory.HeldWhileWarming.Add((live, Sender));
            if (!_loadStarted) StartLoad(live.Quote.TimeUtc);
            else if (_loadDone) FinishWarmStart();
            return;
        }

        ApplyLive(live, Sender);
    }

    private void ApplyLive(LiveQuote live, IActorRef replyTo)
    {
        Begin(live, replyTo);
        var record = Apply(live.Quote);
        _wiring.Observer?.OnQuoteProcessed(live.EnqueuedTimestamp, record);
        Finish(live, replyTo, record is null ? 0 : 1);
    }

    private void Begin(object message, IActorRef replyTo)
    {
        _memory.InFlight = message;
        _memory.InFlightReplyTo = replyTo;
        _memory.InFlightIndex = 0;
    }

    private int ApplyFrom(ProcessSlice slice, int start)
    {
        var signals = 0;
        var quotes = slice.Quotes;
        for (var i = start; i < slice.Count; i++)
        {
            _memory.InFlightIndex = i;
            if (Apply(quotes[i]) is not null) signals++;
        }

        return signals;
    }

    /// <summary>Records are told to the recorder before this reply, which is what makes the slice barrier sound.</summary>
    private void Finish(object message, IActorRef replyTo, int signals)
    {
        _memory.InFlight = null;
        _memory.InFlightReplyTo = null;
        switch (message)
        {
            case ProcessSlice slice:
                replyTo.Tell(new SliceProcessed(_memory.Symbol, slice.Count, signals), Self);
                break;
            case LiveQuote:
                replyTo.Tell(new QuoteCredit(_memory.Symbol), Self);
                break;
        }
    }

    private DecisionRecord? Apply(in Quote quote)
    {
        _memory.Quotes++;
        _memory.LastQuoteUtc = quote.TimeUtc;
        DecisionRecord? record;
        var barOpen = _timeframe.BarOpen(quote.TimeUtc);
        if (barOpen > _barOpen)
        {
            // Only a quote of a later bar can close one and so reach a decision: the environment (whose NowUtc is
            // the quote's time) is built here, keeping the per-tick path free of allocations.
            var before = _engine.CurrentBar;
            _environment = EnvironmentAt(quote.TimeUtc);
            record = _engine.OnQuote(quote, _environment);
            if (_engine.CurrentBar is { } after && after.OpenTimeUtc == barOpen)
            {
                _barOpen = barOpen;
                if (before is { } closed)
                {
                    _memory.BarClosed(closed);
                    if (_wiring.BarJournal is { } journal) JournalClosed(journal, closed);
                }
            }
        }
        else
        {
            record = _engine.OnQuote(quote, _environment);
        }

        _memory.CurrentBarQuotes.Add(quote);
        if (record is not null) Emit(record);
        return record;
    }

    /// <summary>Told, not awaited: the journal's latency and outages never reach the quote path.</summary>
    private void JournalClosed(IActorRef journal, in Bar closed)
    {
        if (_memory.LatestJournaledBarOpenUtc is { } latest && closed.OpenTimeUtc <= latest) return;
        _memory.LatestJournaledBarOpenUtc = closed.OpenTimeUtc;
        journal.Tell(new JournalBar(SymbolBarClosed.From(closed)), Self);
    }

    private void Emit(DecisionRecord record)
    {
        _memory.Signals++;
        _wiring.Recorder.Tell(new RecordDecision(record, ++_memory.RecordSequence), Self);
        _wiring.Agents.Tell(new AgentVotesObserved(record.Symbol, record.DecisionTimeUtc, record.Agents.Consensus, record.Agents.Votes), Self);
        if (record.OrderIntent is not { } intent) return;
        _memory.Intents++;
        // Armed = an intent is with the order side; the order side moves the symbol on (ENTERED, MANAGING, ...).
        if (_memory.StateMachine.State is SymbolState.Idle or SymbolState.Settle) _memory.StateMachine.TryTransition(SymbolState.Armed, out _);
        _wiring.Sink.Submit(intent, record);
    }

    private DecisionEnvironment EnvironmentAt(DateTime nowUtc)
    {
        var environment = _wiring.Environment();
        return environment with
        {
            NowUtc = nowUtc,
            Halted = environment.Halted || _memory.StateMachine.State == SymbolState.Halt,
        };
    }

    private void OnChangeState(ChangeSymbolState change)
    {
        _memory.StateMachine.TryTransition(change.Target, out var error);
        _environment = EnvironmentAt(_environment.NowUtc);
        Sender.Tell(new SymbolStateChanged(_memory.Symbol, _memory.StateMachine.State, error));
    }

    /// <summary>
    /// Rebuilds indicator state after a restart: each kept closed bar is replayed as four zero-spread quotes
    /// (open, high, low, close — the strategy reads only OHLC), then the real quotes of the bar in progress.
    /// Decisions made while re-warming were already recorded by the previous incarnation and are discarded.
    /// </summary>
    private void Rewarm()
    {
        if (_memory.ClosedBars.Count == 0 && _memory.CurrentBarQuotes.Count == 0) return;
        foreach (var bar in _memory.ClosedBars)
        {
            var environment = EnvironmentAt(bar.OpenTimeUtc);
            _engine.OnQuote(new Quote(_memory.Symbol, bar.OpenTimeUtc, bar.Open, bar.Open), environment);
            _engine.OnQuote(new Quote(_memory.Symbol, bar.OpenTimeUtc, bar.High, bar.High), environment);
            _engine.OnQuote(new Quote(_memory.Symbol, bar.OpenTimeUtc, bar.Low, bar.Low), environment);
            _engine.OnQuote(new Quote(_memory.Symbol, bar.OpenTimeUtc, bar.Close, bar.Close), environment);
        }

        foreach (var quote in _memory.CurrentBarQuotes)
            _engine.OnQuote(quote, EnvironmentAt(quote.TimeUtc));
        if (_engine.CurrentBar is { } current) _barOpen = current.OpenTimeUtc;
        _environment = EnvironmentAt(_memory.LastQuoteUtc ?? DateTime.UnixEpoch);
    }

    protected override void PostRestart(Exception reason)
    {
        _memory.Restarts++;
        var log = Context.GetLogger();
        log.Warning(reason, "Symbol {Symbol} restarted ({Restarts} so far); re-warmed from {Bars} bars and {Quotes} quotes{Exactness}",
            _memory.Symbol, _memory.Restarts, _memory.ClosedBars.Count, _memory.CurrentBarQuotes.Count,
            _memory.RewarmIsExact ? "" : " (older bars were dropped: indicators may differ slightly)");
        if (_memory.InFlight is null)
        {
            if (!_warming) ApplyHeld();
            return;
        }

        // The handler threw while applying quote InFlightIndex: skip that quote only, finish the rest, and answer,
        // so the router's slice barrier (or the live credit) is never lost.
        var message = _memory.InFlight;
        var replyTo = _memory.InFlightReplyTo ?? Context.System.DeadLetters;
        _memory.QuotesSkippedAfterFailure++;
        log.Warning("Symbol {Symbol}: skipped the quote that failed", _memory.Symbol);
        var signals = message is ProcessSlice slice ? ApplyFrom(slice, _memory.InFlightIndex + 1) : 0;
        Finish(message, replyTo, signals);
        if (!_warming) ApplyHeld();
    }

    private SymbolStatus Status() => new(
        _memory.Symbol, _memory.StateMachine.State, _memory.Quotes, _memory.Signals, _memory.Intents, _memory.Restarts,
        _memory.QuotesSkippedAfterFailure, _engine.Indicators, _memory.LastQuoteUtc)
    {
        WarmStart = _memory.WarmStart,
    };

    /// <summary>
    /// Live, first incarnation only (a restarted one re-warms from its memory). A journal is read at once, so a takeover
    /// does not wait for it at the first quote; recorded data is read up to the first live quote, when it comes.
    /// </summary>
    private void BeginWarmStart()
    {
        if (!_wiring.Live || _memory.WarmStart is not null) return;
        if (_wiring.WarmStart is not { } source)
        {
            _memory.WarmStart = new SymbolWarmStartReport(WarmStartSource.None, 0, null, null, 0, false, null);
            Context.GetLogger().Info("Symbol {Symbol} starts cold (warm-start = none): no decisions until its indicators have warmed on live bars", _memory.Symbol);
            return;
        }

        _warming = true;
        if (!source.NeedsFirstQuote) StartLoad(null);
        else if (_memory.HeldWhileWarming.Count > 0) StartLoad(_memory.HeldWhileWarming[0].Quote.Quote.TimeUtc);
    }

    private void StartLoad(DateTime? firstQuoteUtc)
    {
        _loadStarted = true;
        Timers.StartSingleTimer(WarmStartTimer, WarmStartTimedOut.Instance, _wiring.WarmStartTimeout);
        var source = _wiring.WarmStart!;
        var (symbol, timeframe, limit) = (_memory.Symbol, _timeframe, _wiring.RewarmBarLimit);
        Task.Run(() => source.LoadAsync(symbol, timeframe, firstQuoteUtc, limit))
            .PipeTo(Self, success: data => new WarmStartLoaded(data, null), failure: e => new WarmStartLoaded(null, e.GetBaseException().Message));
    }

    private void OnWarmStartLoaded(WarmStartLoaded loaded)
    {
        if (!_warming || _loadDone) return; // a late answer after the timeout
        _loadDone = true;
        Timers.Cancel(WarmStartTimer);
        _loaded = loaded.Data;
        _loadProblem = loaded.Problem;
        if (_memory.HeldWhileWarming.Count > 0) FinishWarmStart();
    }

    private void FinishWarmStart()
    {
        Timers.Cancel(WarmStartTimer);
        var source = _wiring.WarmStart!.Source;
        var first = _memory.HeldWhileWarming[0].Quote.Quote.TimeUtc;
        var data = (_loaded ?? WarmStartData.Empty).Before(first, _timeframe, _wiring.RewarmBarLimit);
        _memory.Seed(data);
        Rewarm();
        var report = new SymbolWarmStartReport(source, data.Bars.Count, data.Bars.Count > 0 ? data.Bars[0].OpenTimeUtc : null,
            data.Bars.Count > 0 ? data.Bars[^1].OpenTimeUtc : null, data.BarInProgress.Count, data.Complete && _loadProblem is null, _loadProblem);
        _memory.WarmStart = report;
        var log = Context.GetLogger();
        if (_loadProblem is null)
            log.Info("Symbol {Symbol} warm start: {WarmStart}, before the first live quote at {FirstQuote:o}", _memory.Symbol, report.Summary, first);
        else
            log.Warning("Symbol {Symbol} starts cold: its warm start from {Source} failed ({Problem}); it decides anyway, once its indicators have warmed on live bars",
                _memory.Symbol, SymbolWarmStartReport.SourceName(source), _loadProblem);
        _warming = false;
        _loaded = null;
        ApplyHeld();
    }

    /// <summary>The quotes held during the warm start, in arrival order; each leaves the list before it is applied, so a failure skips only itself.</summary>
    private void ApplyHeld()
    {
        var held = _memory.HeldWhileWarming;
        while (held.Count > 0)
        {
            var (live, replyTo) = held[0];
            held.RemoveAt(0);
            ApplyLive(live, replyTo);
        }
    }
}
