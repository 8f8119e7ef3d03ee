using HueyP.Actors;
using HueyP.Cluster;
using HueyP.Cluster.Fencing;
using HueyP.Cluster.Lease;
using HueyP.Cluster.Member;
using HueyP.Cluster.Standby;
using HueyP.Node.Configuration;
using HueyP.Node.Hosting;
using HueyP.Node.Modules;
using HueyP.Persistence.Journal;

namespace HueyP.Node.Cluster;

public sealed class ClusterModuleFactory : INodeModuleFactory
{
    public INodeModule Create(SettingsReader read) => new ClusterModule(ClusterModuleSettings.Read(read));
}

/// <summary>
/// The cluster member of a candidate node (hueyp.node.role = candidate): /user/cluster with the lease under it.
/// The engine starts only when this node wins the lease, and stops in order when it loses or hands it over; the
/// journal's fence carries the won epoch, so the database itself refuses the writes of a node that lost it.
/// </summary>
public sealed class ClusterModule(ClusterModuleSettings settings) : INodeModule, IJournalFenceSource
{
    private readonly LeaseFence _fence = new(settings.Cluster);
    private ActorSystem? _system;
    private PostgreSqlLeaseStore? _store;
    private JournalTail? _tail;

    public string Name => "cluster";

    public bool Enabled => settings.Enabled;

    public ClusterModuleSettings Settings => settings;

    public IWriteFence Fence => _fence;

    /// <summary>/user/cluster once started.</summary>
    public IActorRef Member { get; private set; } = ActorRefs.Nobody;

    public string JournalConnectionString(string configured)
    {
        try
        {
            return settings.Cluster.FencedJournalConnectionString(configured);
        }
        catch (ArgumentException)
        {
            return configured; // the journal reports the bad connection string with its setting's name
        }
    }

    public async Task StartAsync(NodeRuntime node, CancellationToken ct)
    {
        var journal = node.Journal ?? throw new InvalidOperationException("the cluster member needs the node's journal");
        var lifecycle = node.EngineLifecycle ?? throw new InvalidOperationException("the cluster member needs the engine lifecycle");
        _system = node.System;
        var cluster = settings.Cluster with { AdminEndpoint = node.AdminAddress, Schema = journal.Settings.Schema };
        _store = new PostgreSqlLeaseStore(node.Settings.Persistence.PostgresConnectionString, cluster);
        await _store.EnsureSchemaAsync(ct);
        if (settings.StandbyTail)
        {
            _tail = new JournalTail(journal.ReadJournal, node.Clock);
            _tail.Start(await _store.JournalHeadAsync(ct));
        }

        var terms = new TermJournal(journal, cluster.NodeName, node.Clock);
        Member = node.System.ActorOf(ClusterMemberActor.Props(_store, cluster, _fence, new EngineTerm(lifecycle), _tail, terms), ClusterMemberActor.ActorName);
    }

    public async ValueTask DisposeAsync()
    {
        if (_system is not null && !Member.IsNobody())
        {
            try
            {
                await Member.Ask<object>(Leave.Instance, TimeSpan.FromSeconds(45));
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                // The engine is stopped with the actor system below; the fence is closed either way.
            }
            _fence.Close();
            _system.Stop(Member);
        }

        if (_store is not null) await _store.DisposeAsync();
        if (_tail is not null) await _tail.DisposeAsync();
    }

    /// <summary>The member's term is the node's engine lifecycle.</summary>
    private sealed class EngineTerm(EngineLifecycle lifecycle) : ITradingTerm
    {
        public Task BeginAsync(long epoch, CancellationToken ct) => lifecycle.StartAsync(epoch, ct);

        public Task EndAsync(string reason, CancellationToken ct) => lifecycle.StopAsync(reason, ct);
    }
}
