using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Router;
using HueyP.Domain.Market;
using HueyP.Engine;
using HueyP.Engine.Modes;

namespace HueyP.Node.Bridge;

/// <summary>Counts of what the EA sent, as `hueyp transports show` reports them.</summary>
public sealed record BridgeInboundCounts(long Ticks, long TicksSkipped, long Acks, long Errors, long Other);

public sealed class GetBridgeInboundCounts
{
    public static readonly GetBridgeInboundCounts Instance = new();
    private GetBridgeInboundCounts() { }
}

/// <summary>
/// /user/bridge-inbound: what the EA sends, into the node. TICKs become live quotes for the engine; ACKs and ERRORs are
/// counted (the router already settled the outbox). It also translates the bridge's <see cref="RouteChanged"/> into the
/// engine's <see cref="TransportRouteChanged"/> on the EventStream (HueyP.Engine does not know the bridge), which is
/// what drives the mode ladder's DEGRADED_COMM, and remembers where each transport listens.
/// </summary>
public sealed class BridgeInboundActor : ReceiveActor
{
    public const string ActorName = "bridge-inbound";

    private long _ticks;
    private long _ticksSkipped;
    private long _acks;
    private long _errors;
    private long _other;

    public BridgeInboundActor(EngineHost? engine, Action<TransportKind, string> listening)
    {
        var log = Context.GetLogger();
        var live = engine?.Settings.Mode == EngineMode.Live;
        Receive<InboundMessage>(inbound =>
        {
            var message = inbound.Message;
            switch (message.Type)
            {
                case MessageType.Tick when live:
                    var tick = Payloads.Read<TickPayload>(message.Payload);
                    engine!.PublishLive(new Quote(tick.Symbol, tick.Time.UtcDateTime, tick.Bid, tick.Ask, tick.Volume ?? 0));
                    _ticks++;
                    break;
                case MessageType.Tick:
                    // A replaying engine takes its quotes from recorded data, never from a live EA.
                    if (_ticksSkipped++ == 0) log.Warning("TICKs from the EA are skipped: the engine is not live");
                    break;
                case MessageType.Ack:
                    _acks++;
                    break;
                case MessageType.Error:
                    _errors++;
                    log.Warning("EA reported ERROR over {Transport}: {Payload}", inbound.Transport, message.Payload.GetRawText());
                    break;
                default:
                    _other++;
                    break;
            }
        });
        Receive<RouteChanged>(change => Context.System.EventStream.Publish(new TransportRouteChanged(
            change.From?.ToString().ToLowerInvariant(), change.To?.ToString().ToLowerInvariant(), change.Reason)));
        Receive<TransportListening>(l => listening(l.Kind, l.Endpoint));
        Receive<GetBridgeInboundCounts>(_ => Sender.Tell(new BridgeInboundCounts(_ticks, _ticksSkipped, _acks, _errors, _other)));
    }

    public static Props Props(EngineHost? engine, Action<TransportKind, string> listening) =>
        Actors.Props.Create(() => new BridgeInboundActor(engine, listening));

    /// <summary>Subscribes before the router exists (so its first route is not missed), then starts it.</summary>
    public static IActorRef Start(ActorSystem system, EngineHost? engine, Action<TransportKind, string> listening)
    {
        var inbound = system.ActorOf(Props(engine, listening), ActorName);
        system.EventStream.Subscribe(inbound, typeof(RouteChanged));
        system.EventStream.Subscribe(inbound, typeof(TransportListening));
        return inbound;
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
