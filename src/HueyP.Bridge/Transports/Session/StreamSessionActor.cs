using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports.Router;

namespace HueyP.Bridge.Transports.Session;

/// <summary>
/// One EA connection over a byte stream (TCP or pipe): negotiation, inbound gate (rate limit, decode, dedup,
/// expiry), heartbeats with nonce test requests, ERROR replies and closing with a logged reason.
/// A background task reads frames and tells them to the actor; writes happen on the actor (bounded by the
/// socket send timeout), so all session state is single-threaded.
/// </summary>
public sealed class StreamSessionActor : ReceiveActor, IWithTimers
{
    private sealed record FrameArrived(byte[] Body);

    private sealed record FramingFailed(FrameException Error);

    private sealed record StreamEnded(string Reason);

    private sealed class HeartbeatTick
    {
        public static readonly HeartbeatTick Instance = new();
    }

    private sealed class AnswerCheck
    {
        public static readonly AnswerCheck Instance = new();
    }

    private readonly SessionSettings _settings;
    private readonly Stream _stream;
    private readonly string _peer;
    private readonly CancellationTokenSource _cts = new();
    private readonly TimeProvider _time;
    private readonly InboundGate _gate;
    private readonly MessageFactory _factory;
    private readonly ILoggingAdapter _log;
    private ProtocolVersion? _version;
    private DateTimeOffset _lastInbound;
    private DateTimeOffset _lastOutbound;
    private (string Nonce, DateTimeOffset SentAt)? _pendingTestRequest;
    /// <summary>When the first order since the last inbound frame was written (null: the peer spoke since).</summary>
    private (DateTimeOffset At, MessageType Type)? _unanswered;
    private string _closeReason = "session stopped with its transport (restart or shutdown)";
    private bool _up;
    private readonly Dictionary<string, DateTimeOffset> _probes = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _peerIntegrityErrors = new();
    private TransportFault? _fault;
    private long _deferred;
    private Random? _corruption;

    /// <summary>ERROR replies of these codes mean the peer cannot read what we write: the link is corrupting frames.</summary>
    private static readonly HashSet<string> IntegrityCodes = new(StringComparer.Ordinal)
    {
        "FRAME_EMPTY", "FRAME_TRUNCATED", "FRAME_TOO_LARGE", "INVALID_UTF8", "INVALID_JSON", "SCHEMA_VIOLATION",
        "UNKNOWN_MESSAGE_TYPE", "BAD_CHECKSUM", "BAD_HMAC", "UNSUPPORTED_VERSION", "VERSION_MISMATCH",
    };

    private const int HeartbeatChecksPerInterval = 10;

    /// <summary>This many integrity ERRORs from the peer within one heartbeat interval close the link.</summary>
    public const int IntegrityErrorsToClose = 3;

    public StreamSessionActor(SessionSettings settings, Stream stream, string peer)
    {
        _settings = settings;
        _stream = stream;
        _peer = peer;
        _time = Context.System.Scheduler.TimeProvider;
        _log = Context.GetLogger();
        _gate = new InboundGate(settings.Codec, _time, settings.Dedup, new TokenBucket(settings.RateLimitPerSecond, settings.RateLimitBurst, _time));
        _factory = new MessageFactory(settings.ServerName, _time);
        if (settings.Role is { } role) _gate.Defer = type => Standby.BridgeRoleSource.IsTradingTraffic(type) && !role.Current.Active;
        _lastInbound = _lastOutbound = _time.GetUtcNow();

        Receive<FrameArrived>(OnFrame);
        Receive<FramingFailed>(f =>
        {
            var result = _gate.Refuse(f.Error);
            Refused(result, null);
        });
        Receive<StreamEnded>(e => Close(e.Reason));
        Receive<SendToPeer>(s => Write(s.Message));
        Receive<HeartbeatTick>(_ => OnHeartbeatTick());
        Receive<AnswerCheck>(_ => OnAnswerCheck());
        Receive<ProbeLink>(p =>
        {
            // A peer that never echoes is closed by the heartbeat check; until then keep only recent probes.
            if (_probes.Count >= 64) _probes.Clear();
            _probes[p.Nonce] = _time.GetUtcNow();
            Write(_factory.Heartbeat(testRequest: p.Nonce));
        });
        Receive<InjectFault>(f =>
        {
            _log.Warning("Chaos: {Kind} link to {Peer} now {Fault}s ({Reason})", _settings.Kind, _peer, f.Fault, f.Reason);
            _fault = f.Fault;
            _corruption = new Random(StableSeed(_peer + "|" + f.Reason));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        // Checked ten times per interval: a silent peer is tested soon after 1.2 intervals and closed soon after one more,
        // instead of at the next whole interval (which added up to two intervals to a stalled link's failover gap).
        Timers.StartPeriodicTimer("heartbeat", HeartbeatTick.Instance, _settings.HeartbeatInterval / HeartbeatChecksPerInterval);
        var self = Self;
        // Reads go through a buffer (a frame costs two reads: one syscall each without it); writes go to the raw stream.
        var stream = new BufferedStream(_stream, 64 * 1024);
        var max = _settings.Codec.Options.MaxFrameBytes;
        var token = _cts.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var body = await FrameReader.ReadFrameAsync(stream, max, token).ConfigureAwait(false);
                    if (body is null)
                    {
                        self.Tell(new StreamEnded("peer closed the connection"), self);
                        return;
                    }
                    self.Tell(new FrameArrived(body), self);
                }
            }
            catch (FrameException e)
            {
                self.Tell(new FramingFailed(e), self);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                // we closed the stream ourselves
            }
            catch (Exception e)
            {
                self.Tell(new StreamEnded($"read failed: {e.GetType().Name}: {e.Message}"), self);
            }
        }, CancellationToken.None);
    }

    protected override void PostStop()
    {
        _cts.Cancel();
        _stream.Dispose();
        _cts.Dispose();
        if (_up) _settings.Router.Tell(new LinkDown(_settings.Kind, Self, _closeReason), Self);
    }

    private void OnFrame(FrameArrived frame)
    {
        if (_fault == TransportFault.Stall) return; // a stalled path delivers nothing
        _lastInbound = _time.GetUtcNow();
        _unanswered = null;
        var result = _gate.Accept(frame.Body);
        var message = result.Message;
        switch (result.Disposition)
        {
            case InboundDisposition.Reject or InboundDisposition.Close:
                Refused(result, message);
                return;
            case InboundDisposition.Duplicate:
                _log.Debug("Duplicate {Message} from {Peer}: not acted on again", message!, _peer);
                if (IsAcked(message!.Type)) Write(_factory.Ack(message, AckStatus.Duplicate));
                return;
            case InboundDisposition.Deferred:
                // A standby: not acted on, the EA is told where the active node is (and sends it there).
                var role = _settings.Role!.Current;
                if (_deferred++ % 100 == 0) _log.Info("{Message} from {Peer} not acted on: {Role}", message!, _peer, role.Describe());
                Write(_factory.Create(MessageType.StatusResponse, Standby.BridgeRoleSource.StandbyStatus(role)));
                return;
            case InboundDisposition.Expired:
                _log.Warning("Dropped {Message} from {Peer}: {Reason}", message!, _peer, result.Detail);
                Context.System.EventStream.Publish(new MessageDropped(message!.MessageId, result.Detail, _settings.Kind));
                Write(_factory.Ack(message, AckStatus.Expired, result.Detail));
                return;
            default:
                Handle(message!);
                return;
        }
    }

    private void Refused(InboundResult result, BridgeMessage? message)
    {
        var code = FrameErrors.Code(result.Reason!.Value);
        if (result.Reason != FrameErrorReason.RateLimited || _gate.Counts.GetValueOrDefault(code) % 100 == 1)
            _log.Warning("Refused a frame from {Peer}: {Code} {Detail}", _peer, code, result.Detail);
        _settings.Router.Tell(new LinkRefused(_settings.Kind, code, result.Detail), Self);
        Write(_factory.Error(code, result.Detail, message?.MessageId));
        if (result.Disposition == InboundDisposition.Close) Close($"{code}: {result.Detail}");
    }

    private static bool IsAcked(MessageType type) => type is MessageType.Signal or MessageType.Trade or MessageType.Param or MessageType.ExecutionReport;

    private void Handle(BridgeMessage message)
    {
        if (_version is null)
        {
            if (message.Type == MessageType.StatusRequest && Payloads.Read<StatusRequestPayload>(message.Payload).SupportedVersions is { } offered)
            {
                Negotiate(offered);
                return;
            }
            // A legacy EA just starts talking: it gets the version it spoke.
            BecomeUp(message.Version, "legacy peer, no negotiation");
        }
        switch (message.Type)
        {
            case MessageType.Heartbeat:
                var heartbeat = Payloads.Read<HeartbeatPayload>(message.Payload);
                if (heartbeat.TestRequest is { } nonce) Write(_factory.Heartbeat(testResponse: nonce));
                if (heartbeat.TestResponse is { } echoed && _pendingTestRequest is { } pending && echoed == pending.Nonce)
                {
                    _pendingTestRequest = null;
                    _settings.Router.Tell(new LinkLatency(_settings.Kind, _time.GetUtcNow() - pending.SentAt), Self);
                }
                if (heartbeat.TestResponse is { } probe && _probes.Remove(probe, out var probeSentAt))
                    _settings.Router.Tell(new LinkProbeAnswered(_settings.Kind, Self, probe, _time.GetUtcNow() - probeSentAt), Self);
                return;
            case MessageType.Error:
                _settings.Router.Tell(new PeerMessage(_settings.Kind, Self, message), Self);
                OnPeerError(message);
                return;
            case MessageType.StatusRequest:
                Write(_factory.Create(MessageType.StatusResponse, Status(WireNames.Name(_version!.Value))));
                return;
            default:
                _settings.Router.Tell(new PeerMessage(_settings.Kind, Self, message), Self);
                if (IsAcked(message.Type)) Write(_factory.Ack(message, AckStatus.Accepted));
                return;
        }
    }

    /// <summary>FNV-1a: string.GetHashCode differs per process, and a chaos run should damage the same bytes each time.</summary>
    private static int StableSeed(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return (int)hash;
    }

    /// <summary>
    /// The EA answers every frame it cannot read with ERROR; a few integrity errors in a row mean our frames are
    /// damaged on the way (a bad cable, a broken proxy, chaos): close, so the router moves traffic off this link.
    /// </summary>
    private void OnPeerError(BridgeMessage message)
    {
        var error = Payloads.Read<ErrorPayload>(message.Payload);
        if (!IntegrityCodes.Contains(error.Code)) return;
        var now = _time.GetUtcNow();
        _peerIntegrityErrors.Enqueue(now);
        while (_peerIntegrityErrors.Count > 0 && now - _peerIntegrityErrors.Peek() > _settings.HeartbeatInterval) _peerIntegrityErrors.Dequeue();
        _log.Warning("{Kind} peer {Peer} could not read our frame: {Code} {Reason}", _settings.Kind, _peer, error.Code, error.Reason);
        if (_peerIntegrityErrors.Count >= IntegrityErrorsToClose)
            Close($"peer refused {_peerIntegrityErrors.Count} of our frames as damaged within {_settings.HeartbeatInterval.TotalSeconds:0.#} s (last {error.Code})");
    }

    private void Negotiate(IReadOnlyList<string> offered)
    {
        var chosen = VersionNegotiation.Choose(offered, _settings.Codec.Options.SupportsV12);
        if (chosen is not { } version)
        {
            var detail = $"no common version: peer offers [{string.Join(",", offered)}], we speak [{string.Join(",", VersionNegotiation.Offer(_settings.Codec.Options.SupportsV12))}]";
            Write(_factory.Error(FrameErrors.Code(FrameErrorReason.UnsupportedVersion), detail));
            Close(detail);
            return;
        }
        // The answer still travels as v1.0: the peer switches only once it has read it.
        Write(_factory.Create(MessageType.StatusResponse, Status(WireNames.Name(version))));
        BecomeUp(version, $"negotiated from [{string.Join(",", offered)}]");
    }

    /// <summary>OK, or on a standby STANDBY naming the active node: an EA learns where to trade as soon as it says hello.</summary>
    private StatusResponsePayload Status(string negotiatedVersion) =>
        _settings.Role?.Current is { Active: false } role
            ? Standby.BridgeRoleSource.StandbyStatus(role, negotiatedVersion)
            : new StatusResponsePayload(StatusResponseStatus.Ok) { NegotiatedVersion = negotiatedVersion };

    private void BecomeUp(ProtocolVersion version, string how)
    {
        _version = version;
        _gate.RequiredVersion = version;
        _factory.Version = version;
        _up = true;
        _log.Info("{Kind} link to {Peer} up, protocol {Version} ({How})", _settings.Kind, _peer, WireNames.Name(version), how);
        _settings.Router.Tell(new LinkUp(_settings.Kind, Self, version, _peer), Self);
    }

    private void OnHeartbeatTick()
    {
        var now = _time.GetUtcNow();
        var interval = _settings.HeartbeatInterval;
        if (_pendingTestRequest is { } pending)
        {
            if (now - pending.SentAt >= interval)
                Close($"peer silent: test request {pending.Nonce} not answered within {interval.TotalSeconds:0.#} s");
            return;
        }
        // FIX-style grace: a peer that beats every interval is late only after 1.2 intervals of silence.
        if (now - _lastInbound >= interval * 1.2)
        {
            var nonce = Guid.NewGuid().ToString("N");
            _pendingTestRequest = (nonce, now);
            Write(_factory.Heartbeat(testRequest: nonce));
        }
        else if (now - _lastOutbound >= interval)
        {
            Write(_factory.Heartbeat());
        }
    }

    /// <summary>
    /// An order went out and the peer has said nothing since: an EA that is alive answers within the answer timeout
    /// (the ACK, a tick, anything), so ask it directly, and close if that goes unanswered too. The test request's
    /// answer is an inbound frame like any other and ends the check.
    /// </summary>
    private void OnAnswerCheck()
    {
        if (_unanswered is not { } waiting) return;
        var timeout = _settings.AnswerTimeout;
        var now = _time.GetUtcNow();
        if (_pendingTestRequest is { } pending)
        {
            if (now - pending.SentAt >= timeout)
            {
                Close($"peer silent: test request {pending.Nonce} not answered within {timeout.TotalMilliseconds:0} ms after an unacknowledged {WireNames.Name(waiting.Type)}");
                return;
            }
            Timers.StartSingleTimer("answer", AnswerCheck.Instance, pending.SentAt + timeout - now);
            return;
        }
        if (now - waiting.At < timeout)
        {
            Timers.StartSingleTimer("answer", AnswerCheck.Instance, waiting.At + timeout - now);
            return;
        }
        var nonce = Guid.NewGuid().ToString("N");
        _pendingTestRequest = (nonce, now);
        // The deadline first: once the request is on the wire, its answer (or its absence) may be observed at once.
        Timers.StartSingleTimer("answer", AnswerCheck.Instance, timeout);
        Write(_factory.Heartbeat(testRequest: nonce));
    }

    private void Write(BridgeMessage message)
    {
        if (_settings.AnswerTimeout > TimeSpan.Zero && message.Type is MessageType.Signal or MessageType.Trade or MessageType.Param && _unanswered is null && !_cts.IsCancellationRequested)
        {
            // Also while stalled: the order is lost on the way either way, and the check is what notices.
            _unanswered = (_time.GetUtcNow(), message.Type);
            Timers.StartSingleTimer("answer", AnswerCheck.Instance, _settings.AnswerTimeout);
        }
        if (_cts.IsCancellationRequested || _fault == TransportFault.Stall) return;
        var stamped = message.WithVersion(_version ?? ProtocolVersion.V1_0).WithSequence(_gate.Sequence.NextOutbound());
        try
        {
            var frame = _settings.Codec.EncodeFrame(stamped);
            if (_fault == TransportFault.Corrupt && frame.Length > 8)
            {
                // Damage the body, not the length prefix, so the peer stays in step and can answer with ERROR.
                var at = 4 + _corruption!.Next(frame.Length - 4);
                frame[at] = (byte)(frame[at] ^ (1 + _corruption.Next(255)));
            }
            _stream.Write(frame);
            _lastOutbound = _time.GetUtcNow();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
        {
            Close($"write failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private void Close(string reason)
    {
        if (_cts.IsCancellationRequested) return;
        _closeReason = reason;
        _log.Info("Closing {Kind} link to {Peer}: {Reason}", _settings.Kind, _peer, reason);
        _cts.Cancel();
        Context.Stop(Self);
    }
}
