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
public sealed record BridgeInboundCounts(long Ticks, long TicksSkipped, long Acks, long Errors, long Other)
{
    public long ExecutionReports { get; init; }
}

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
    private long _reports;

    /// <param name="engine">The engine now running, if any: a cluster member starts a new one every term it wins.</param>
    /// <param name="mt4Broker">Where ACKs and EXECUTION_REPORTs go when the engine's broker is the MT4 broker (null: paper broker).</param>
    public BridgeInboundActor(Func<EngineHost?> engine, Action<TransportKind, string> listening, string? mt4Broker = null)
    {
        var log = Context.GetLogger();
        Receive<InboundMessage>(inbound =>
        {
            var message = inbound.Message;
            var live = engine() is { Settings.Mode: EngineMode.Live } running ? running : null;
            switch (message.Type)
            {
                case MessageType.Tick when live is not null:
                    var tick = Payloads.Read<TickPayload>(message.Payload);
                    live.PublishLive(new Quote(tick.Symbol, tick.Time.UtcDateTime, tick.Bid, tick.Ask, tick.Volume ?? 0));
                    _ticks++;
                    break;
                case MessageType.ExecutionReport when mt4Broker is not null:
                    _reports++;
                    Context.ActorSelection(mt4Broker).Tell(new Mt4Broker.EaExecutionReported(message.MessageId, Payloads.Read<ExecutionReportPayload>(message.Payload)), Self);
                    break;
                case MessageType.ExecutionReport:
                    _reports++;
                    if (_reports == 1) log.Warning("EXECUTION_REPORTs from the EA are not applied: the engine's broker is the paper broker (hueyp.bridge.broker = paper)");
                    break;
                case MessageType.Tick:
                    // A replaying engine takes its quotes from recorded data, never from a live EA.
                    if (_ticksSkipped++ == 0) log.Warning("TICKs from the EA are skipped: the engine is not live");
                    break;
                case MessageType.Ack:
                    _acks++;
                    if (mt4Broker is not null)
                    {
                        var ack = Payloads.Read<AckPayload>(message.Payload);
                        Context.ActorSelection(mt4Broker).Tell(new Mt4Broker.EaAcknowledged(ack.RefMessageId, ack.Status, ack.Reason), Self);
                    }
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
        Receive<GetBridgeInboundCounts>(_ => Sender.Tell(new BridgeInboundCounts(_ticks, _ticksSkipped, _acks, _errors, _other) { ExecutionReports = _reports }));
    }

    public static Props Props(Func<EngineHost?> engine, Action<TransportKind, string> listening, string? mt4Broker = null) =>
        Actors.Props.Create(() => new BridgeInboundActor(engine, listening, mt4Broker));

    /// <summary>Subscribes before the router exists (so its first route is not missed), then starts it.</summary>
    public static IActorRef Start(ActorSystem system, Func<EngineHost?> engine, Action<TransportKind, string> listening, string? mt4Broker = null)
    {
        var inbound = system.ActorOf(Props(engine, listening, mt4Broker), ActorName);
        system.EventStream.Subscribe(inbound, typeof(RouteChanged));
        system.EventStream.Subscribe(inbound, typeof(TransportListening));
        return inbound;
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
