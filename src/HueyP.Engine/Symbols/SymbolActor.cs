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
/// </summary>
internal sealed class SymbolActor : ReceiveActor
{
    private readonly SymbolMemory _memory;
    private readonly SymbolWiring _wiring;
    private readonly SymbolDecisionEngine _engine;
    private readonly Timeframe _timeframe;
    private DateTime _barOpen = DateTime.MinValue;
    private DecisionEnvironment _environment;

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
    }

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
        Begin(live, Sender);
        var record = Apply(live.Quote);
        _wiring.Observer?.OnQuoteProcessed(live.EnqueuedTimestamp, record);
        Finish(live, Sender, record is null ? 0 : 1);
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
                if (before is { } closed) _memory.BarClosed(closed);
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
        if (_memory.InFlight is null) return;

        // The handler threw while applying quote InFlightIndex: skip that quote only, finish the rest, and answer,
        // so the router's slice barrier (or the live credit) is never lost.
        var message = _memory.InFlight;
        var replyTo = _memory.InFlightReplyTo ?? Context.System.DeadLetters;
        _memory.QuotesSkippedAfterFailure++;
        log.Warning("Symbol {Symbol}: skipped the quote that failed", _memory.Symbol);
        var signals = message is ProcessSlice slice ? ApplyFrom(slice, _memory.InFlightIndex + 1) : 0;
        Finish(message, replyTo, signals);
    }

    private SymbolStatus Status() => new(
        _memory.Symbol, _memory.StateMachine.State, _memory.Quotes, _memory.Signals, _memory.Intents, _memory.Restarts,
        _memory.QuotesSkippedAfterFailure, _engine.Indicators, _memory.LastQuoteUtc);
}
