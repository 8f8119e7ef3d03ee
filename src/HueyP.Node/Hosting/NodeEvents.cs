using HueyP.Engine.Modes;
using HueyP.Engine.Orders;
using HueyP.Persistence.Serialization;

namespace HueyP.Node.Hosting;

/// <summary>Every event type a node's persistent actors write, registered once with its manifest.</summary>
public static class NodeEvents
{
    public static EventSerializer Serializer() => ModeSerialization.Register(OrderSideSerialization.Register(new EventSerializer()));
}
