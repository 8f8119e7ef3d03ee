using HueyP.Actors;
using HueyP.Actors.Event;
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
/// </summary>
public sealed class BridgeRoleFeedActor : ReceiveActor, IWithTimers
{
    public const string ActorName = "bridge-role";

    private sealed class Poll
    {
        public static readonly Poll Instance = new();
    }

    private sealed record Polled(ClusterStatus? Status, string? Error);

    private bool _asking;

    public BridgeRoleFeedActor(BridgeRoleSource role, IReadOnlyDictionary<string, string> peers, string clusterPath, TimeSpan interval)
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

        Receive<Polled>(p =>
        {
            _asking = false;
            if (p.Status is not { } status) return; // keep the last known role; the member may be restarting
            var active = status.Role == "active";
            var holder = status.Lease is { Expired: false, Holder: { } h } && h != status.Node ? h : null;
            Become(active ? BridgeRole.Trading : new BridgeRole(false, holder, holder is null ? null : peers.GetValueOrDefault(holder)));
        });
        Receive<ClusterRoleChanged>(changed =>
        {
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

    public static Props Props(BridgeRoleSource role, IReadOnlyDictionary<string, string> peers, string clusterPath, TimeSpan interval) =>
        Actors.Props.Create(() => new BridgeRoleFeedActor(role, peers, clusterPath, interval));
}
