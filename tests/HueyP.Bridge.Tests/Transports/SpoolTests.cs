using HueyP.Actors.TestKit;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Simulator;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Spool;
using HueyP.Bridge.Transports.Standby;
using Xunit.Abstractions;

namespace HueyP.Bridge.Tests.Transports;

public sealed class SpoolTests : TestKit
{
    private readonly string _root = Directory.CreateTempSubdirectory("hueyp-spool-").FullName;
    private readonly SpoolTransportSettings _settings;
    private readonly MessageFactory _engine = new("engine", Samples.Clock());

    public SpoolTests(ITestOutputHelper output) : base(output: output) => _settings = new SpoolTransportSettings(_root);

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private HueyP.Actors.IActorRef StartSpool()
    {
        var spool = Sys.ActorOf(SpoolTransportActor.Props(_settings, TestActor, Samples.Codec(), new DedupWindow(100)), "spool");
        ExpectMsg<LinkUp>(up => up.Kind == TransportKind.Spool);
        return spool;
    }

    [Fact]
    public void An_order_becomes_one_complete_csv_file_that_decodes_to_the_same_message()
    {
        var spool = StartSpool();
        var trade = Samples.Trade(_engine, "o1", Sys.Scheduler.Now.AddMinutes(1));

        spool.Tell(new SendToPeer(trade), null);

        AwaitCondition(() => SpoolCsv.PendingFiles(_settings.ToEa).Count == 1);
        var file = SpoolCsv.PendingFiles(_settings.ToEa).Single();
        Assert.Empty(Directory.GetFiles(_settings.ToEa, "*.tmp"));
        var decoded = Samples.Codec().Decode(SpoolCsv.ToFrameBody(File.ReadAllText(file)));
        Assert.Equal((trade.MessageId, "o1"), (decoded.MessageId, decoded.OrderKey));
    }

    [Fact]
    public void A_stale_order_is_not_spooled_and_one_left_unread_past_its_expiry_is_swept_with_a_reason()
    {
        var spool = StartSpool();

        spool.Tell(new SendToPeer(Samples.Trade(_engine, "late", Sys.Scheduler.Now.AddSeconds(-1))), null);
        Assert.Contains("before it could be spooled", ExpectMsg<OutboundDropped>().Reason);

        var unread = Samples.Trade(_engine, "unread", Sys.Scheduler.Now.AddSeconds(5));
        spool.Tell(new SendToPeer(unread), null);
        AwaitCondition(() => SpoolCsv.PendingFiles(_settings.ToEa).Count == 1);
        Advance(TimeSpan.FromSeconds(6));

        var dropped = ExpectMsg<OutboundDropped>();
        Assert.Equal(unread.MessageId, dropped.MessageId);
        Assert.Contains("unread by the EA", dropped.Reason);
        Assert.Empty(SpoolCsv.PendingFiles(_settings.ToEa));
    }

    [Fact]
    public void Files_from_the_ea_reach_the_router_and_bad_ones_are_set_aside_with_a_reason()
    {
        StartSpool();
        var ea = new MessageFactory("ea", Samples.Clock());
        var ack = ea.Ack(Samples.Trade(_engine, "o1", Sys.Scheduler.Now.AddMinutes(1)), AckStatus.Accepted).WithSequence(1);
        SpoolCsv.WriteAtomically(_settings.FromEa, SpoolCsv.FileName(ack, Sys.Scheduler.Now), SpoolCsv.Format(ack));
        File.WriteAllText(Path.Combine(_settings.FromEa, "zz-garbage.csv"), "not,a,spool,file");

        Advance(_settings.PollInterval);

        Assert.Equal(ack.MessageId, ExpectMsg<PeerMessage>().Message.MessageId);
        Assert.Equal("SCHEMA_VIOLATION", ExpectMsg<LinkRefused>().Code);
        Assert.Single(Directory.GetFiles(_settings.Rejected));
        Assert.Empty(SpoolCsv.PendingFiles(_settings.FromEa));
    }

    [Fact]
    public async Task The_simulated_ea_executes_fresh_spooled_orders_and_refuses_stale_ones_with_a_recorded_reason()
    {
        var engine = new MessageFactory("engine", TimeProvider.System);
        Directory.CreateDirectory(_settings.ToEa);
        Directory.CreateDirectory(_settings.FromEa);
        var fresh = Samples.Trade(engine, "fresh", DateTimeOffset.UtcNow.AddHours(1)).WithSequence(1);
        var stale = Samples.Trade(engine, "stale", DateTimeOffset.UtcNow.AddHours(-1)).WithSequence(2);
        foreach (var m in new[] { fresh, stale }) SpoolCsv.WriteAtomically(_settings.ToEa, SpoolCsv.FileName(m, m.Timestamp), SpoolCsv.Format(m));
        await using var ea = new EaSimulator(new EaSimulatorOptions { SpoolDirectory = _root });

        ea.Start();
        await ea.Witness.WaitForAsync(w => w.Executed == 1 && w.Expired.Count == 1, TimeSpan.FromSeconds(10));

        Assert.Equal(1, ea.Witness.ExecutionsOf("fresh"));
        Assert.Equal(0, ea.Witness.ExecutionsOf("stale"));
        Assert.Contains("expired at", ea.Witness.Expired.Single().Reason);
        // The ACKs are written after the witness records, and the executed order's report after its ACK.
        AwaitCondition(() => SpoolCsv.PendingFiles(_settings.FromEa).Count == 3);
        var replies = SpoolCsv.PendingFiles(_settings.FromEa).Select(f => Samples.Codec().Decode(SpoolCsv.ToFrameBody(File.ReadAllText(f)))).ToList();
        var acks = replies.Where(m => m.Type == MessageType.Ack).Select(m => Payloads.Read<AckPayload>(m.Payload)).ToDictionary(a => a.RefMessageId, a => a.Status);
        Assert.Equal(AckStatus.Accepted, acks[fresh.MessageId]);
        Assert.Equal(AckStatus.Expired, acks[stale.MessageId]);
        // No quote streamed yet, so the EA's account cannot fill it: it says so, for the order it executed only.
        var report = Payloads.Read<ExecutionReportPayload>(replies.Single(m => m.Type == MessageType.ExecutionReport).Payload);
        Assert.Equal(("fresh", ExecutionStatus.Rejected), (report.OrderId, report.Status));
        Assert.Contains("no price for", report.Reason);
    }

    [Fact]
    public void On_a_standby_trading_traffic_from_the_ea_is_refused_and_kept_orders_are_not_written_and_both_flow_once_the_node_trades()
    {
        var role = new BridgeRoleSource(new BridgeRole(false, "node-b", "10.0.0.2:7001"));
        var settings = _settings with { Role = role };
        var spool = Sys.ActorOf(SpoolTransportActor.Props(settings, TestActor, Samples.Codec(), new DedupWindow(100)), "standby-spool");
        ExpectMsg<LinkUp>(up => up.Kind == TransportKind.Spool);
        var ea = new MessageFactory("ea", Samples.Clock());
        var stopClose = ea.Create(MessageType.ExecutionReport, new ExecutionReportPayload("o1", ExecutionStatus.Filled, Sys.Scheduler.Now)
        {
            BrokerOrderId = "1001", FillId = "1001-SL", Quantity = 0.1, Price = 1.0695, Remaining = 0, Side = "SELL", Trigger = ExecutionTrigger.StopLoss,
        }).WithSequence(1);
        void EaWrites(BridgeMessage m) => SpoolCsv.WriteAtomically(settings.FromEa, SpoolCsv.FileName(m, Sys.Scheduler.Now), SpoolCsv.Format(m));
        List<BridgeMessage> Spooled() => SpoolCsv.PendingFiles(settings.ToEa).Select(f => Samples.Codec().Decode(SpoolCsv.ToFrameBody(File.ReadAllText(f)))).ToList();

        EaWrites(stopClose);
        var trade = Samples.Trade(_engine, "o2", Sys.Scheduler.Now.AddMinutes(1));
        spool.Tell(new SendToPeer(trade), null);
        Advance(settings.PollInterval);

        // Refused, recorded, set aside (not lost), and the EA is told where to trade; the order is not written.
        var refused = ExpectMsg<LinkRefused>();
        Assert.Equal(("STANDBY", TransportKind.Spool), (refused.Code, refused.Kind));
        Assert.Contains("node-b", refused.Detail);
        Assert.Single(Directory.GetFiles(settings.Rejected));
        Assert.Empty(SpoolCsv.PendingFiles(settings.FromEa));
        AwaitCondition(() => Spooled().Count == 1); // the STATUS is written once the poll has read every file
        var status = Assert.Single(Spooled());
        Assert.Equal(MessageType.StatusResponse, status.Type);
        var standby = Payloads.Read<StatusResponsePayload>(status.Payload);
        Assert.Equal((StatusResponseStatus.Standby, "node-b", "10.0.0.2:7001"), (standby.Status, standby.ActiveNode, standby.ActiveEndpoint));

        // The node takes over: the router's next hand-over of the order is written, the EA's resent report is acted on
        // (its id never entered the dedup window while this node was a standby).
        role.Set(BridgeRole.Trading);
        spool.Tell(new SendToPeer(trade), null);
        AwaitCondition(() => Spooled().Any(m => m.MessageId == trade.MessageId));
        EaWrites(stopClose.WithSequence(2));
        Advance(settings.PollInterval);
        Assert.Equal(stopClose.MessageId, ExpectMsg<PeerMessage>().Message.MessageId);
        Assert.Equal(2, Spooled().Count);
    }
}
