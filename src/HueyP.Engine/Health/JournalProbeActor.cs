using System.Diagnostics;
using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Domain.Breakers;
using HueyP.Engine.Breakers;
using HueyP.Persistence;
using HueyP.Persistence.Journal;

namespace HueyP.Engine.Health;

/// <summary>The probe's event: one tiny row proving the journal takes writes.</summary>
public sealed record JournalProbeWritten(DateTimeOffset At);

/// <summary>Probe the journal now (the repair runbook's shadow test); replies <see cref="JournalProbeResult"/>.</summary>
public sealed record ProbeJournalNow
{
    public static readonly ProbeJournalNow Instance = new();
}

public sealed record JournalProbeResult(bool Success, double LatencyMs, string? Error);

/// <summary>Replies <see cref="JournalProbeStatus"/>.</summary>
public sealed record GetJournalProbeStatus
{
    public static readonly GetJournalProbeStatus Instance = new();
}

/// <summary><see cref="Busy"/>: a probe is waiting for the breaker or the database; counts since this incarnation started.</summary>
public sealed record JournalProbeStatus(bool Busy, long Successes, long Failures, long Rejected, JournalProbeResult? Last);

public sealed record JournalProbeSettings
{
    /// <summary>How often the journal is probed while nothing else asks.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Older probe rows are marked deleted every this many successful probes, so the stream stays short.</summary>
    public int TrimEvery { get; init; } = 100;

    public static JournalProbeSettings Default { get; } = new();
}

/// <summary>
/// /user/engine/journal-probe: writes a probe event to the journal (stream <see cref="PersistenceIdValue"/>) through the
/// <c>journal</c> breaker — acquire, write, report — and publishes the write latency as the journal_latency_ms gauge.
/// It is what notices a journal outage when no order is being written, and what closes the breaker again: a half-open
/// breaker admits exactly its probe. Writes go straight to the journal API, not through a persistent actor, because a
/// persistent actor stops on a failed write and the probe must keep probing.
/// </summary>
public sealed class JournalProbeActor : ReceiveActor, IWithTimers
{
    public const string ActorName = "journal-probe";
    public const string PersistenceIdValue = "health-journal-probe";
    private const string ProbeTimer = "journal-probe";

    private readonly JournalProbeSettings _settings;
    private readonly PersistenceStore _store;
    private readonly IActorRef _breakers;
    private readonly ILoggingAdapter _log;
    private readonly List<IActorRef> _waiting = [];
    private long? _sequenceNr;
    private bool _busy;
    private int _sinceTrim;
    private long _successes, _failures, _rejected;
    private JournalProbeResult? _last;

    public JournalProbeActor(JournalProbeSettings settings, PersistenceStore store, IActorRef breakers)
    {
        _settings = settings;
        _store = store;
        _breakers = breakers;
        _log = Context.GetLogger();

        Receive<Tick>(_ => Probe(replyTo: null));
        Receive<ProbeJournalNow>(_ => Probe(Sender));
        Receive<BreakerAdmission>(a =>
        {
            if (a.Admission == Admission.Rejected)
            {
                Finish(new JournalProbeResult(false, 0, $"journal breaker open until {a.RetryAt:O}"), report: false);
                return;
            }
            Write();
        });
        Receive<BreakerRefused>(r => Finish(new JournalProbeResult(false, 0, r.Error), report: false));
        Receive<Written>(w =>
        {
            if (w.Error is null)
            {
                _sequenceNr = w.SequenceNr;
                Context.System.EventStream.Publish(new HealthGauge(HealthGauges.JournalLatencyMs, w.LatencyMs));
                Trim(w.SequenceNr);
            }
            else
            {
                // The write may or may not have landed: read the highest number again before the next one.
                _sequenceNr = null;
            }
            Finish(new JournalProbeResult(w.Error is null, w.LatencyMs, w.Error), report: true);
        });
        Receive<BreakerView>(_ => { });
        Receive<GetJournalProbeStatus>(_ => Sender.Tell(new JournalProbeStatus(_busy, _successes, _failures, _rejected, _last)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PersistenceStore store, IActorRef breakers, JournalProbeSettings? settings = null)
    {
        var s = settings ?? JournalProbeSettings.Default;
        return Actors.Props.Create(() => new JournalProbeActor(s, store, breakers));
    }

    protected override void PreStart() => Timers.StartPeriodicTimer(ProbeTimer, Tick.Instance, _settings.Interval);

    /// <summary>
    /// Every probe asks the breaker first, the repair's shadow probes too: while it is open the answer is "rejected"
    /// (nothing is written), and when it is half-open this probe is the one trial call.
    /// </summary>
    private void Probe(IActorRef? replyTo)
    {
        if (replyTo is not null) _waiting.Add(replyTo);
        if (_busy) return;
        _busy = true;
        _breakers.Tell(new AcquireBreaker(Dependencies.Journal), Self);
    }

    private void Write()
    {
        var store = _store;
        var known = _sequenceNr;
        var at = Context.System.Scheduler.Now;
        Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            try
            {
                var last = known ?? await store.Journal.ReadHighestSequenceNrAsync(PersistenceIdValue).ConfigureAwait(false);
                var next = last + 1;
                var results = await store.Journal.WriteMessagesAsync(
                    [new AtomicWrite([new PersistentRepr(new JournalProbeWritten(at), PersistenceIdValue, next)])]).ConfigureAwait(false);
                if (results[0] is { } rejected) return new Written(last, watch.Elapsed.TotalMilliseconds, rejected.Message);
                return new Written(next, watch.Elapsed.TotalMilliseconds, null);
            }
            catch (Exception e)
            {
                return new Written(known ?? 0, watch.Elapsed.TotalMilliseconds, e.GetBaseException().Message);
            }
        }).PipeTo(Self);
    }

    private void Trim(long sequenceNr)
    {
        if (++_sinceTrim < _settings.TrimEvery) return;
        _sinceTrim = 0;
        _store.Journal.DeleteMessagesToAsync(PersistenceIdValue, sequenceNr - 1).ContinueWith(
            t => _log.Warning(t.Exception, "journal probe: trimming old probe rows failed"), TaskContinuationOptions.OnlyOnFaulted);
    }

    private void Finish(JournalProbeResult result, bool report)
    {
        _busy = false;
        _last = result;
        if (!report) _rejected++;
        else if (result.Success) _successes++;
        else _failures++;
        if (report)
        {
            if (!result.Success) _log.Warning("journal probe failed: {Error}", result.Error);
            _breakers.Tell(new ReportOutcome(Dependencies.Journal, result.Success, result.Success ? null : $"probe write failed: {result.Error}"), Self);
        }
        foreach (var waiting in _waiting) waiting.Tell(result);
        _waiting.Clear();
    }

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record Written(long SequenceNr, double LatencyMs, string? Error);
}
