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
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

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
    private DrillFeed? _drill;
    private WarmProjection? _projection;

    public string Name => "cluster";

    public bool Enabled => settings.Enabled;

    public ClusterModuleSettings Settings => settings;

    public IWriteFence Fence => _fence;

    /// <summary>/user/cluster once started.</summary>
    public IActorRef Member { get; private set; } = ActorRefs.Nobody;

    /// <summary>The order and ledger state kept warm from the journal tail (standby-tail = on), on both roles.</summary>
    public WarmProjection? Projection => _projection;

    /// <summary>The drill feed (hueyp.cluster.drill-feed), when configured.</summary>
    public DrillFeed? Drill => _drill;

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
            // The projection must see every event, so the tail reads the journal from its start (the lag shows the warm-up).
            _projection = new WarmProjection(HueyP.Node.Configuration.EngineConfiguration.OrderSide(node.Settings, node.Settings.Engine.Symbols).Ledger);
            _tail = new JournalTail(journal.ReadJournal, node.Clock, _projection.Apply);
            _tail.Start(0);
        }

        var terms = new TermJournal(journal, cluster.NodeName, node.Clock);
        if (settings.DrillFeed.Enabled)
        {
            _drill = DrillFeed.Load(settings.DrillFeed, node.Clock);
            terms.FedUntil = () => _drill.FedUntil;
        }

        Member = node.System.ActorOf(ClusterMemberActor.Props(_store, cluster, _fence, new EngineTerm(lifecycle, node, terms, _drill, _projection), _tail, terms),
            ClusterMemberActor.ActorName);
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

        if (_drill is not null) await _drill.DisposeAsync();
        if (_store is not null) await _store.DisposeAsync();
        if (_tail is not null) await _tail.DisposeAsync();
    }

    /// <summary>
    /// The member's term is the node's engine lifecycle (and the drill feed into it, when configured). With a warm
    /// projection, the engine's persistent actors recover from its seeds: the state as far as the projection has read,
    /// then only the journal's events after it.
    /// </summary>
    private sealed class EngineTerm(EngineLifecycle lifecycle, NodeRuntime node, TermJournal terms, DrillFeed? drill, WarmProjection? projection) : ITradingTerm
    {
        public async Task BeginAsync(long epoch, CancellationToken ct)
        {
            if (projection is not null)
            {
                PersistenceExtension.Get(node.System).OfferSeeds(projection.Seeds());
                if (projection.BookSeed() is { } book) PersistenceExtension.Get(node.System).OfferProjectionSeed(book);
            }
            await lifecycle.StartAsync(epoch, ct);
            if (drill is null) return;
            // Where the previous active got to; this term's own heartbeats come after TermBegan, so none is read here.
            var resume = await terms.LastFedUntilAsync(ct);
            drill.Start(resume, quote =>
            {
                if (lifecycle.Accepting && node.Engine is { } engine) engine.PublishLive(quote);
            });
        }

        public async Task EndAsync(string reason, CancellationToken ct)
        {
            if (drill is not null) await drill.StopAsync();
            await lifecycle.StopAsync(reason, ct);
            // A seed no actor took belongs to the term that ended; the next term offers fresh ones.
            PersistenceExtension.Get(node.System).WithdrawSeeds();
        }
    }
}
