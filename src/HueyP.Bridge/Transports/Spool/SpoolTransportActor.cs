using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Bridge.Protocol;

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
}

/// <summary>
/// The last-resort transport: a CSV file per message in a directory the EA polls. Always available while the
/// directory is writable, so it is the link of last resort; there is no peer handshake, only files.
/// Stale orders are dropped with a recorded reason, both before writing and when swept unread.
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
    private long _sequence;

    public SpoolTransportActor(SpoolTransportSettings settings, IActorRef router, BridgeCodec codec, DedupWindow dedup)
    {
        _settings = settings;
        _router = router;
        _time = Context.System.Scheduler.TimeProvider;
        _log = Context.GetLogger();
        _gate = new InboundGate(codec, _time, dedup);
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

    private void Write(BridgeMessage message)
    {
        var now = _time.GetUtcNow();
        if (message.IsStale(now))
        {
            Drop(message.MessageId, $"expired at {Timestamps.Format(message.ExpiresAt!.Value)} before it could be spooled");
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
            File.Delete(file);
            if (result.Disposition == InboundDisposition.Deliver)
                _router.Tell(new PeerMessage(TransportKind.Spool, Self, result.Message!), Self);
            else if (result.Disposition == InboundDisposition.Expired)
                Context.System.EventStream.Publish(new MessageDropped(result.Message!.MessageId, result.Detail, TransportKind.Spool));
        }
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
