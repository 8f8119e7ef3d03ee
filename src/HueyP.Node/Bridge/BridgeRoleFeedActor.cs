using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports.Outbox;
using HueyP.Bridge.Transports.Standby;
using HueyP.Cluster.Member;

namespace HueyP.Node.Bridge;

/// <summary>
/// /user/bridge-role on a cluster candidate: reads the cluster member's status (/user/cluster, read only) and sets the
/// bridge's <see cref="BridgeRoleSource"/>: active while this node holds the lease and trades, otherwise a standby that
/// names the lease holder and its bridge address (hueyp.bridge.peers). Until the first answer the node is a standby:
/// a candidate trades only once it has won the lease.
/// <para>The member's <see cref="ClusterRoleChanged"/> switches the role at once (a node that lost the lease must refuse
/// trading traffic now, not at the next poll); the poll then fills in who holds the lease, and keeps it current.</para>
/// <para>With a journal-backed outbox it also follows the trading term: when a term begins (starting) the outbox
/// re-reads its stream, which the previous active wrote, and the unacknowledged messages found there are routed again
/// in their original order (the EA de-duplicates by id); when the term ends (stopping, standby) the outbox is suspended,
/// so a standby never writes the stream.</para>
/// </summary>
public sealed class BridgeRoleFeedActor : ReceiveActor, IWithTimers
{
    public const string ActorName = "bridge-role";

    private sealed class Poll
    {
        public static readonly Poll Instance = new();
    }

    private sealed record Polled(ClusterStatus? Status, string? Error);

    /// <summary>The outbox of <paramref name="Epoch"/> is recovered (Error null) with these unacknowledged messages.</summary>
    private sealed record OutboxResumed(long Epoch, IReadOnlyList<BridgeMessage> Pending, string? Error);

    private bool _asking;
    private long _outboxEpoch;
    private bool _outboxInTerm;

    public BridgeRoleFeedActor(BridgeRoleSource role, IReadOnlyDictionary<string, string> peers, string clusterPath, TimeSpan interval,
        JournalOutbox? outbox = null, Action<BridgeMessage>? resend = null)
    {
        var log = Context.GetLogger();
        Receive<Poll>(_ =>
        {
            if (_asking) return;
            _asking = true;
            Context.ActorSelection(clusterPath).Ask<ClusterStatus>(GetClusterStatus.Instance, interval * 4)
                .PipeTo(Self, success: s => new Polled(s, null), failure: e => new Polled(null, e.Message));
        });
        void Become(BridgeRole next)
        {
            if (next == role.Current) return;
            log.Info("Bridge role: {Role}", next.Describe());
            role.Set(next);
        }

        // Epochs only grow: a late poll answer from before a term (or of a term already begun) begins and ends nothing.
        void FollowTerm(string memberRole, long epoch)
        {
            if (outbox is null) return;
            if (memberRole is "starting" or "active" && epoch > _outboxEpoch)
            {
                _outboxEpoch = epoch;
                _outboxInTerm = true;
                log.Info("Bridge outbox: recovering the stream for epoch {Epoch}", epoch);
                outbox.ResumeAsync().PipeTo(Self, success: pending => new OutboxResumed(epoch, pending, null),
                    failure: e => new OutboxResumed(epoch, [], e.Message));
            }
            else if (memberRole is "stopping" or "standby" && epoch >= _outboxEpoch && (_outboxInTerm || !outbox.Suspended))
            {
                _outboxInTerm = false;
                outbox.Suspend();
                log.Info("Bridge outbox: suspended ({Role}); the next active resumes it from the journal", memberRole);
            }
        }

        Receive<OutboxResumed>(resumed =>
        {
            if (resumed.Error is { } error)
            {
                log.Error("Bridge outbox: the stream could not be recovered for epoch {Epoch}: {Error}; the next write retries", resumed.Epoch, error);
                return;
            }
            if (resumed.Epoch != _outboxEpoch || !_outboxInTerm) return;
            log.Info("Bridge outbox: {Count} unacknowledged message(s) resumed for epoch {Epoch}", resumed.Pending.Count, resumed.Epoch);
            foreach (var message in resumed.Pending) resend?.Invoke(message);
        });
        Receive<Polled>(p =>
        {
            _asking = false;
            if (p.Status is not { } status) return; // keep the last known role; the member may be restarting
            FollowTerm(status.Role, status.Epoch);
            var active = status.Role == "active";
            var holder = status.Lease is { Expired: false, Holder: { } h } && h != status.Node ? h : null;
            Become(active ? BridgeRole.Trading : new BridgeRole(false, holder, holder is null ? null : peers.GetValueOrDefault(holder)));
        });
        Receive<ClusterRoleChanged>(changed =>
        {
            FollowTerm(changed.Role, changed.Epoch);
            if (changed.Trading)
            {
                Become(BridgeRole.Trading);
                return;
            }
            // Not trading from now on; who trades instead, the next poll says.
            if (role.Current.Active) Become(new BridgeRole(false));
            Self.Tell(Poll.Instance);
        });
        Timers.StartPeriodicTimer("poll", Poll.Instance, interval);
        Self.Tell(Poll.Instance);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(ClusterRoleChanged));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    public static Props Props(BridgeRoleSource role, IReadOnlyDictionary<string, string> peers, string clusterPath, TimeSpan interval,
        JournalOutbox? outbox = null, Action<BridgeMessage>? resend = null) =>
        Actors.Props.Create(() => new BridgeRoleFeedActor(role, peers, clusterPath, interval, outbox, resend));
}
