using HueyP.Persistence.Serialization;

namespace HueyP.Node.Hosting;

/// <summary>
/// Every event type a node's journal holds: the engine's, the bridge outbox's and the cluster's terms. The node and the
/// offline tools (journal, state, orders, ledger) read the same journal, so they register the same types.
/// </summary>
public static class NodeEvents
{
    public static EventSerializer Serializer()
    {
        var serializer = HueyP.Engine.EngineEvents.Serializer();
        HueyP.Bridge.Transports.Outbox.OutboxSerialization.Register(serializer);
        HueyP.Node.Bridge.Mt4Broker.Mt4BrokerSerialization.Register(serializer);
        HueyP.Cluster.Member.TermJournal.Register(serializer);
        return serializer;
    }
}
