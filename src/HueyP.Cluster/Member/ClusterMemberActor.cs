using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Cluster.Fencing;
using HueyP.Cluster.Lease;
using HueyP.Cluster.Standby;

namespace HueyP.Cluster.Member;

/// <summary>
/// /user/cluster: turns the lease's news into the node's trading term. Winning an epoch opens the journal fence with
/// it and begins the term; losing it closes the fence at once (every write from then on is rejected by the database)
/// and ends the term in order; a step-down ends the term while the lease is still held, then releases it. Term
/// operations run one after another, never overlapping. Reports this node's role and lag to the member table, and
/// publishes every change of role on the actor system's event stream (<see cref="ClusterRoleChanged"/>).
/// </summary>
public sealed class ClusterMemberActor : ReceiveActor, IWithTimers
{
    public const string ActorName = "cluster";
    private const string ReportTimer = "report";

    private readonly ILeaseStore _store;
    private readonly ClusterSettings _settings;
    private readonly LeaseFence _fence;
    private readonly ITradingTerm _term;
    private readonly JournalTail? _tail;
    private readonly TermJournal? _terms;
    private bool _probing;
    private readonly ILoggingAdapter _log;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stopping = new();
    private IActorRef _lease = ActorRefs.Nobody;
    private Task _termChain = Task.CompletedTask;
    private string _role = "standby";
    private long _epoch;
    private bool _reporting;
    private long _journalHead;

    public ITimerScheduler Timers { get; set; } = null!;

    public ClusterMemberActor(ILeaseStore store, ClusterSettings settings, LeaseFence fence, ITradingTerm term, JournalTail? tail, TermJournal? terms)
    {
        _terms = terms;
        _store = store;
        _settings = settings;
        _fence = fence;
        _term = term;
        _tail = tail;
        _log = Context.GetLogger();
        _clock = Context.System.Settings.TimeProvider;

        Receive<LeaseAcquired>(acquired =>
        {
            _epoch = acquired.Epoch;
            SetRole("starting");
            _fence.Open(acquired.Epoch);
            RunTerm(async ct =>
            {
                // The term's first write goes through the fence before anything trades: no write, no trading.
                if (_terms is not null) await _terms.BeginAsync(acquired.Epoch, ct).ConfigureAwait(false);
                await _term.BeginAsync(acquired.Epoch, ct).ConfigureAwait(false);
            }, () => new TermStarted(acquired.Epoch), e => new TermFailedToBegin(acquired.Epoch, e));
        });
        Receive<TermStarted>(began =>
        {
            if (began.Epoch != _epoch || _role != "starting") return;
            SetRole("active");
            _log.Info("Cluster: active with epoch {Epoch}", began.Epoch);
        });
        Receive<TermFailedToBegin>(failed =>
        {
            _log.Error(failed.Error, "Cluster: the engine did not start for epoch {Epoch}; handing the lease over", failed.Epoch);
            if (failed.Epoch == _epoch && _role == "starting")
            {
                SetRole("active");
                _lease.Tell(StepDown.Instance);
            }
        });
        Receive<LeaseLost>(lost =>
        {
            // Stop accepting at once: from here on the database refuses every write of this node.
            _fence.Close();
            SetRole("stopping");
            RunTerm(ct => _term.EndAsync($"lease lost: {lost.Reason}", ct), () => new TermEnded(lost.Epoch), e => new TermEnded(lost.Epoch, e));
        });
        Receive<LeaseReleasing>(releasing =>
        {
            SetRole("releasing");
            RunTerm(ct => _term.EndAsync("step-down", ct), () => new TermEnded(releasing.Epoch), e => new TermEnded(releasing.Epoch, e));
        });
        Receive<TermEnded>(ended =>
        {
            _fence.Close();
            if (ended.Error is not null) _log.Warning(ended.Error, "Cluster: stopping the engine of epoch {Epoch} failed", ended.Epoch);
            SetRole("standby");
            _log.Info("Cluster: engine of epoch {Epoch} stopped; standby", ended.Epoch);
            _lease.Tell(new EngineStopped(ended.Epoch));
        });
        Receive<Leave>(_ =>
        {
            // Node shutdown: end the term while still holding the lease (drain may write), then write nothing more.
            var replyTo = Sender;
            SetRole("leaving");
            RunTerm(ct => _term.EndAsync("node shutdown", ct), () => new Left(replyTo), _ => new Left(replyTo));
        });
        Receive<Left>(left =>
        {
            _fence.Close();
            left.ReplyTo.Tell(Leave.Done);
        });
        Receive<StepDown>(_ =>
        {
            Sender.Tell(new StepDownAccepted(_role == "active", _epoch));
            _lease.Tell(StepDown.Instance);
        });
        ReceiveAsync<GetClusterStatus>(async request =>
        {
            var replyTo = Sender;
            var lease = await _lease.Ask<LeaseStatus>(GetLeaseStatus.Instance, TimeSpan.FromSeconds(5));
            var role = _role;
            var epoch = _epoch;
            _ = StatusAsync(lease, role, epoch).PipeTo(replyTo);
        });
        Receive<Report>(_ =>
        {
            if (_reporting) return;
            _reporting = true;
            ReportAsync(_role, _epoch).PipeTo(Self, success: head => new Reported(head), failure: _ => new Reported(-1));
        });
        Receive<Probe>(_ =>
        {
            if (_terms is null || _probing || _role != "active") return;
            _probing = true;
            var epoch = _epoch;
            _terms.HeartbeatAsync(epoch, _stopping.Token).PipeTo(Self, success: ok => new Probed(epoch, ok), failure: _ => new Probed(epoch, false));
        });
        Receive<Probed>(probed =>
        {
            _probing = false;
            if (!probed.Accepted) _log.Warning("Cluster: a journal write of epoch {Epoch} was refused (fenced or failed)", probed.Epoch);
        });
        Receive<Reported>(reported =>
        {
            _reporting = false;
            if (reported.JournalHead >= 0) _journalHead = reported.JournalHead;
        });
    }

    protected override void PreStart()
    {
        _lease = Context.ActorOf(LeaseActor.Props(_store, _settings), LeaseActor.ActorName);
        Self.Tell(Report.Instance);
        Timers.StartPeriodicTimer(ReportTimer, Report.Instance, _settings.RenewInterval);
        if (_settings.WriteProbeInterval > TimeSpan.Zero) Timers.StartPeriodicTimer("probe", Probe.Instance, _settings.WriteProbeInterval);
    }

    protected override void PostStop()
    {
        _fence.Close();
        _stopping.Cancel();
    }

    /// <summary>The role changes here only, so every change reaches the event stream exactly once.</summary>
    private void SetRole(string role)
    {
        if (role == _role) return;
        var previous = _role;
        _role = role;
        Context.System.EventStream.Publish(new ClusterRoleChanged(_settings.NodeName, role, previous, _epoch));
    }

    private void RunTerm(Func<CancellationToken, Task> operation, Func<object> done, Func<Exception, object> failed)
    {
        var token = _stopping.Token;
        _termChain = _termChain.ContinueWith(_ => operation(token), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        _termChain.PipeTo(Self, success: done, failure: failed);
    }

    private async Task<ClusterStatus> StatusAsync(LeaseStatus lease, string role, long epoch)
    {
        var tail = _tail?.Progress ?? new TailProgress(0, 0, 0, null);
        try
        {
            var view = await _store.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            var members = await _store.MembersAsync(CancellationToken.None).ConfigureAwait(false);
            var head = await _store.JournalHeadAsync(CancellationToken.None).ConfigureAwait(false);
            return new ClusterStatus(_settings.NodeName, role, epoch, lease.ValidForMs, lease.LastLoss, view, members, tail, head, _terms?.FencedWrites ?? 0, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ClusterStatus(_settings.NodeName, role, epoch, lease.ValidForMs, lease.LastLoss, null, [], tail, _journalHead,
                _terms?.FencedWrites ?? 0, $"the database cannot be read: {e.Message}");
        }
    }

    private async Task<long> ReportAsync(string role, long epoch)
    {
        var head = await _store.JournalHeadAsync(_stopping.Token).ConfigureAwait(false);
        var tail = _tail?.Progress ?? new TailProgress(head, 0, 0, null);
        var lagEvents = Math.Max(0, head - tail.Offset);
        // Caught up: how late the newest event reached us. Behind: how long since the last event we did read.
        var lagMs = lagEvents == 0 || tail.LastEventAt is not { } last ? tail.LastDelayMs : Math.Max(0, (_clock.GetUtcNow() - last).TotalMilliseconds);
        await _store.ReportAsync(new MemberReport(role, epoch, tail.Offset, lagEvents, lagMs), _stopping.Token).ConfigureAwait(false);
        return head;
    }

    public static Props Props(ILeaseStore store, ClusterSettings settings, LeaseFence fence, ITradingTerm term, JournalTail? tail, TermJournal? terms) =>
        Actors.Props.Create(() => new ClusterMemberActor(store, settings, fence, term, tail, terms));

    private sealed record TermStarted(long Epoch);

    private sealed record Left(IActorRef ReplyTo);

    private sealed record Probe
    {
        public static readonly Probe Instance = new();
    }

    private sealed record Probed(long Epoch, bool Accepted);

    private sealed record TermFailedToBegin(long Epoch, Exception Error);

    private sealed record TermEnded(long Epoch, Exception? Error = null);

    private sealed record Report
    {
        public static readonly Report Instance = new();
    }

    private sealed record Reported(long JournalHead);
}
