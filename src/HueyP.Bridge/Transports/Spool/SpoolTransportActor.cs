using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports.Standby;

namespace HueyP.Bridge.Transports.Spool;

public sealed record SpoolTransportSettings(string Directory)
{
    /// <summary>Engine → EA files.</summary>
    public string ToEa => Path.Combine(Directory, "to-ea");

    /// <summary>EA → engine files (ACKs, TICKs).</summary>
    public string FromEa => Path.Combine(Directory, "from-ea");

    /// <summary>Inbound files the gate refused, kept for inspection.</summary>
    public string Rejected => Path.Combine(Directory, "rejected");

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public int MaxFileBytes { get; init; } = CodecOptions.DefaultMaxFrameBytes * 2;

    /// <summary>Whether this node trades (on a standby the spool refuses trading traffic, as the sessions do); null: always.</summary>
    public BridgeRoleSource? Role { get; init; }

    /// <summary>Our name in the source field of the STATUS a standby answers with.</summary>
    public string ServerName { get; init; } = "hueyp";
}

/// <summary>
/// The last-resort transport: a CSV file per message in a directory the EA polls. Always available while the
/// directory is writable, so it is the link of last resort; there is no peer handshake, only files.
/// Stale orders are dropped with a recorded reason, both before writing and when swept unread.
/// On a standby (<see cref="SpoolTransportSettings.Role"/> not active) it behaves as the socket and pipe sessions do:
/// a TICK, SIGNAL, TRADE or EXECUTION_REPORT file from the EA is not acted on (set aside in <c>rejected</c>, the refusal
/// recorded on the link, its id kept out of the dedup window) and answered with a STATUS STANDBY naming the active
/// node; outbound trading traffic is not written (it stays in the outbox and goes out once this node trades).
/// </summary>
public sealed class SpoolTransportActor : ReceiveActor, IWithTimers
{
    private sealed class Poll
    {
        public static readonly Poll Instance = new();
    }

    private readonly SpoolTransportSettings _settings;
    private readonly IActorRef _router;
    private readonly InboundGate _gate;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log;
    private readonly MessageFactory _factory;
    private long _sequence;
    private long _refusedOnStandby;
    private long _heldOnStandby;

    public SpoolTransportActor(SpoolTransportSettings settings, IActorRef router, BridgeCodec codec, DedupWindow dedup)
    {
        _settings = settings;
        _router = router;
        _time = Context.System.Scheduler.TimeProvider;
        _log = Context.GetLogger();
        _gate = new InboundGate(codec, _time, dedup);
        _factory = new MessageFactory(settings.ServerName, _time);
        if (settings.Role is { } role) _gate.Defer = type => BridgeRoleSource.IsTradingTraffic(type) && !role.Current.Active;
        Receive<SendToPeer>(s => Write(s.Message));
        Receive<InjectFault>(f => throw new IOException($"chaos: spool transport closed ({f.Reason})"));
        // The spool has no peer handshake, so verification is the directory being usable: answer at once.
        Receive<ProbeLink>(p => _router.Tell(new LinkProbeAnswered(TransportKind.Spool, Self, p.Nonce, TimeSpan.Zero), Self));
        Receive<Poll>(_ =>
        {
            ReadInbound();
            SweepStale();
        });
    }

    public static Props Props(SpoolTransportSettings settings, IActorRef router, BridgeCodec codec, DedupWindow dedup) =>
        Actors.Props.Create(() => new SpoolTransportActor(settings, router, codec, dedup));

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Directory.CreateDirectory(_settings.ToEa);
        Directory.CreateDirectory(_settings.FromEa);
        Directory.CreateDirectory(_settings.Rejected);
        Timers.StartPeriodicTimer("poll", Poll.Instance, _settings.PollInterval);
        _router.Tell(new LinkUp(TransportKind.Spool, Self, ProtocolVersion.V1_0, _settings.Directory), Self);
    }

    protected override void PostStop() =>
        _router.Tell(new LinkDown(TransportKind.Spool, Self, "spool transport stopped"), Self);

    private BridgeRole? Standby => _settings.Role?.Current is { Active: false } role ? role : null;

    private void Write(BridgeMessage message)
    {
        var now = _time.GetUtcNow();
        if (message.IsStale(now))
        {
            Drop(message.MessageId, $"expired at {Timestamps.Format(message.ExpiresAt!.Value)} before it could be spooled");
            return;
        }
        if (Standby is { } standby && BridgeRoleSource.IsTradingTraffic(message.Type))
        {
            // Not a drop: the router keeps it in the outbox and hands it over again, to be written once this node trades.
            if (_heldOnStandby++ % 100 == 0) _log.Info("{Message} not spooled: {Role}", message, standby.Describe());
            return;
        }
        var stamped = message.WithVersion(ProtocolVersion.V1_0).WithSequence(++_sequence);
        // IO failures escape: the backoff supervisor restarts us, and the router replays from the outbox.
        SpoolCsv.WriteAtomically(_settings.ToEa, SpoolCsv.FileName(stamped, now), SpoolCsv.Format(stamped));
    }

    private void Drop(string messageId, string reason)
    {
        _log.Warning("Dropped {MessageId}: {Reason}", messageId, reason);
        _router.Tell(new OutboundDropped(TransportKind.Spool, messageId, reason), Self);
    }

    private void ReadInbound()
    {
        var refused = _refusedOnStandby;
        foreach (var file in SpoolCsv.PendingFiles(_settings.FromEa))
        {
            InboundResult result;
            try
            {
                var info = new FileInfo(file);
                result = info.Length > _settings.MaxFileBytes
                    ? _gate.Refuse(new FrameException(FrameErrorReason.TooLarge, $"spool file of {info.Length} bytes"))
                    : Accept(File.ReadAllText(file));
            }
            catch (IOException e)
            {
                _log.Warning("Cannot read spool file {File}: {Error}", file, e.Message);
                continue;
            }
            if (result.IsError)
            {
                var code = FrameErrors.Code(result.Reason!.Value);
                _log.Warning("Refused spool file {File}: {Code} {Detail}", Path.GetFileName(file), code, result.Detail);
                _router.Tell(new LinkRefused(TransportKind.Spool, code, result.Detail), Self);
                File.Move(file, Path.Combine(_settings.Rejected, Path.GetFileName(file)), overwrite: true);
                continue;
            }
            if (result.Disposition == InboundDisposition.Deferred)
            {
                RefuseOnStandby(file, result);
                continue;
            }
            File.Delete(file);
            if (result.Disposition == InboundDisposition.Deliver)
                _router.Tell(new PeerMessage(TransportKind.Spool, Self, result.Message!), Self);
            else if (result.Disposition == InboundDisposition.Expired)
                Context.System.EventStream.Publish(new MessageDropped(result.Message!.MessageId, result.Detail, TransportKind.Spool));
        }
        // One STATUS per poll however many files were refused: the EA learns where the active node is.
        if (_refusedOnStandby > refused) Write(_factory.Create(MessageType.StatusResponse, BridgeRoleSource.StandbyStatus(Standby ?? new BridgeRole(false))));
    }

    /// <summary>
    /// A standby's answer to trading traffic: not acted on, kept in rejected for inspection, the refusal recorded on the
    /// link (its id never entered the dedup window: the EA may send it to the active node, or here once this one trades).
    /// </summary>
    private void RefuseOnStandby(string file, InboundResult result)
    {
        var role = Standby ?? new BridgeRole(false);
        var detail = $"{result.Detail}: {role.Describe()}";
        if (_refusedOnStandby++ % 100 == 0) _log.Info("Spool file {File} ({Message}) not acted on: {Role}", Path.GetFileName(file), result.Message!, role.Describe());
        File.Move(file, Path.Combine(_settings.Rejected, Path.GetFileName(file)), overwrite: true);
        _router.Tell(new LinkRefused(TransportKind.Spool, "STANDBY", detail), Self);
    }

    private InboundResult Accept(string content)
    {
        try
        {
            return _gate.Accept(SpoolCsv.ToFrameBody(content));
        }
        catch (FrameException e)
        {
            return _gate.Refuse(e);
        }
    }

    private void SweepStale()
    {
        var now = _time.GetUtcNow();
        foreach (var file in SpoolCsv.PendingFiles(_settings.ToEa))
        {
            string content;
            try
            {
                content = File.ReadAllText(file);
            }
            catch (IOException)
            {
                continue; // the EA is reading it right now
            }
            if (SpoolCsv.ReadExpiry(content) is not { } expiresAt || expiresAt > now) continue;
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                continue;
            }
            var id = Path.GetFileNameWithoutExtension(file).Split('-', 3) is { Length: 3 } parts ? parts[2] : file;
            Drop(id, $"expired at {Timestamps.Format(expiresAt)} in the spool, unread by the EA");
        }
    }
}
