using System.Text.Json.Serialization;
using HueyP.Domain.Ledger;
using HueyP.Domain.Orders;
using HueyP.Engine.Broker;
using HueyP.Engine.Ledger;
using HueyP.Persistence.Serialization;

namespace HueyP.Engine.Orders;

[JsonSerializable(typeof(OrderInitialized))]
[JsonSerializable(typeof(OrderDenied))]
[JsonSerializable(typeof(OrderSubmitted))]
[JsonSerializable(typeof(OrderAccepted))]
[JsonSerializable(typeof(OrderRejected))]
[JsonSerializable(typeof(OrderTriggered))]
[JsonSerializable(typeof(OrderUpdateRequested))]
[JsonSerializable(typeof(OrderUpdateResolved))]
[JsonSerializable(typeof(OrderCancelRequested))]
[JsonSerializable(typeof(OrderCancelRejected))]
[JsonSerializable(typeof(OrderCanceled))]
[JsonSerializable(typeof(OrderExpired))]
[JsonSerializable(typeof(OrderFilled))]
[JsonSerializable(typeof(OrderOutcomeUnknown))]
[JsonSerializable(typeof(OrderTransitionRejected))]
[JsonSerializable(typeof(IntentRegistered))]
[JsonSerializable(typeof(FillBooked))]
[JsonSerializable(typeof(MarkUpdated))]
[JsonSerializable(typeof(CashAdjusted))]
[JsonSerializable(typeof(PositionAdjusted))]
[JsonSerializable(typeof(LedgerEntryRejected))]
[JsonSerializable(typeof(LedgerSnapshot))]
[JsonSerializable(typeof(BrokerRequestReceived))]
[JsonSerializable(typeof(BrokerCancelReceived))]
[JsonSerializable(typeof(BrokerCheckpoint))]
[JsonSerializable(typeof(BrokerLiveState))]
[JsonSerializable(typeof(KillSwitchChanged))]
[JsonSerializable(typeof(SymbolHoldRecorded))]
[JsonSerializable(typeof(IntentHeld))]
internal sealed partial class OrderSideJsonContext : JsonSerializerContext;

/// <summary>
/// Every event and snapshot of the order side, with its manifest. Manifests are part of the journal format: never
/// rename one; add a .v2 with an upcaster instead.
/// </summary>
public static class OrderSideSerialization
{
    public static EventSerializer Register(EventSerializer serializer)
    {
        var c = OrderSideJsonContext.Default;
        return serializer
            .Register("OrderInitialized.v1", c.OrderInitialized)
            .Register("OrderDenied.v1", c.OrderDenied)
            .Register("OrderSubmitted.v1", c.OrderSubmitted)
            .Register("OrderAccepted.v1", c.OrderAccepted)
            .Register("OrderRejected.v1", c.OrderRejected)
            .Register("OrderTriggered.v1", c.OrderTriggered)
            .Register("OrderUpdateRequested.v1", c.OrderUpdateRequested)
            .Register("OrderUpdateResolved.v1", c.OrderUpdateResolved)
            .Register("OrderCancelRequested.v1", c.OrderCancelRequested)
            .Register("OrderCancelRejected.v1", c.OrderCancelRejected)
            .Register("OrderCanceled.v1", c.OrderCanceled)
            .Register("OrderExpired.v1", c.OrderExpired)
            .Register("OrderFilled.v1", c.OrderFilled)
            .Register("OrderOutcomeUnknown.v1", c.OrderOutcomeUnknown)
            .Register("OrderTransitionRejected.v1", c.OrderTransitionRejected)
            .Register("IntentRegistered.v1", c.IntentRegistered)
            .Register("FillBooked.v1", c.FillBooked)
            .Register("MarkUpdated.v1", c.MarkUpdated)
            .Register("CashAdjusted.v1", c.CashAdjusted)
            .Register("PositionAdjusted.v1", c.PositionAdjusted)
            .Register("LedgerEntryRejected.v1", c.LedgerEntryRejected)
            .Register("LedgerSnapshot.v1", c.LedgerSnapshot)
            .Register("BrokerRequestReceived.v1", c.BrokerRequestReceived)
            .Register("BrokerCancelReceived.v1", c.BrokerCancelReceived)
            .Register("BrokerCheckpoint.v1", c.BrokerCheckpoint)
            .Register("BrokerLiveState.v1", c.BrokerLiveState)
            .Register("KillSwitchChanged.v1", c.KillSwitchChanged)
            .Register("SymbolHoldRecorded.v1", c.SymbolHoldRecorded)
            .Register("IntentHeld.v1", c.IntentHeld);
    }

    public static EventSerializer Create() => Register(new EventSerializer());
}
