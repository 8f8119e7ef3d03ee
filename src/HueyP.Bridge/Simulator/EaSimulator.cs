using System.Net.Sockets;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports.Spool;
using HueyP.Domain.Market;

namespace HueyP.Bridge.Simulator;

/// <summary>
/// Plays the MT4 Expert Advisor against the bridge: keeps a connection on every stream transport (socket and pipe,
/// each reconnecting after any failure) and polls the spool, negotiates, streams TICKs on the best link, executes and
/// ACKs SIGNAL/TRADE whichever link they come on (once per id), fills pending orders and closes positions by their
/// stops as its quotes reach them (reporting each until the bridge ACKs it), answers test requests, answers unreadable
/// frames with ERROR, and records every order in <see cref="Witness"/>. A plain client, not an actor: it is the outside world.
/// </summary>
public sealed class EaSimulator : IAsyncDisposable
{
    private readonly EaSimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly BridgeCodec _codec;
    private readonly MessageFactory _factory;
    private readonly DedupWindow _dedup = new(100_000);
    private readonly IEnumerator<Quote> _quotes;
    private readonly Lock _quoteLock = new();
    private readonly Lock _notesLock = new();
    private readonly List<string> _notes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly EaInbox _inbox;
    private readonly EaReportOutbox _reports = new();
    private Task? _loop;
    private int _connections;

    public EaSimulator(EaSimulatorOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _codec = new BridgeCodec(new CodecOptions { HmacKey = options.HmacKey });
        _factory = new MessageFactory(options.Source, _time);
        _quotes = options.Quotes.GetEnumerator();
        _sockets = [.. (options.Socket is { } first ? [first] : Array.Empty<System.Net.IPEndPoint>()), .. options.OtherSockets];
        Witness = new OrderWitness(options.WitnessFile, _time);
        _inbox = new EaInbox(Witness, Account, _reports, _factory, _time, Note);
    }

    public OrderWitness Witness { get; }

    /// <summary>The EA's own paper account: where orders are executed and what it reports back.</summary>
    public EaAccount Account { get; } = new();

    /// <summary>Reports of executions the EA made on its own (pending fills, stop closes) not yet ACKed by the bridge.</summary>
    public int UnacknowledgedReports => _reports.Count;

    /// <summary>The best transport connected and negotiated ("socket", "pipe"), or null while no stream is up.</summary>
    public string? CurrentTransport
    {
        get
        {
            for (var rank = 0; rank < _linkUp.Length; rank++)
                if (Volatile.Read(ref _linkUp[rank]) == 1) return _targetNames[rank];
            return null;
        }
    }

    private readonly Lock _socketLock = new();
    private List<System.Net.IPEndPoint> _sockets;
    private int _activeSocket;

    /// <summary>The node endpoint the socket link trades with now (the active node, as far as the EA knows).</summary>
    public System.Net.IPEndPoint? CurrentSocket
    {
        get { lock (_socketLock) return _sockets.Count == 0 ? null : _sockets[_activeSocket]; }
    }

    private void NextSocket()
    {
        lock (_socketLock)
            if (_sockets.Count > 1) _activeSocket = (_activeSocket + 1) % _sockets.Count;
    }

    /// <summary>
    /// A node said it is a standby: the socket link moves to the active node it names (or, when it names none, to the
    /// next endpoint); a local link waits a while before asking that node again. Returns the session's end reason.
    /// </summary>
    private string FollowActive(int rank, string name, StatusResponsePayload status)
    {
        var named = status.ActiveEndpoint is { } text && System.Net.IPEndPoint.TryParse(text, out var endpoint) ? endpoint : null;
        if (name == "socket")
        {
            lock (_socketLock)
            {
                if (named is null)
                {
                    if (_sockets.Count > 1) _activeSocket = (_activeSocket + 1) % _sockets.Count;
                }
                else
                {
                    var index = _sockets.FindIndex(e => e.Equals(named));
                    if (index < 0)
                    {
                        _sockets.Add(named);
                        index = _sockets.Count - 1;
                    }
                    _activeSocket = index;
                }
            }
            Interlocked.Increment(ref _followed);
        }
        else _standbyUntil[rank] = _time.GetUtcNow() + _options.StandbyRetryDelay;
        return $"node is a standby ({status.Detail}); following {(named is null ? "the next endpoint" : $"the active node at {named}")}";
    }

    private long _followed;
    private readonly DateTimeOffset[] _standbyUntil = new DateTimeOffset[2];

    /// <summary>How often the EA moved its socket link to another node because the one it reached was a standby.</summary>
    public long StandbyRedirects => Interlocked.Read(ref _followed);

    private readonly int[] _linkUp = new int[2];
    private readonly string[] _targetNames = new string[2];

    private void SetLinkUp(int rank, bool up) => Volatile.Write(ref _linkUp[rank], up ? 1 : 0);

    /// <summary>Ticks go out on one link only: the best one that is up.</summary>
    private bool IsBestLink(int rank)
    {
        for (var better = 0; better < rank; better++)
            if (Volatile.Read(ref _linkUp[better]) == 1) return false;
        return Volatile.Read(ref _linkUp[rank]) == 1;
    }

    /// <summary>Ticks streamed so far (all of them once <see cref="QuotesExhausted"/>).</summary>
    public ProtocolVersion? NegotiatedVersion { get; private set; }

    public int Connections => Volatile.Read(ref _connections);

    public long TicksSent => Interlocked.Read(ref _ticksSent);

    private long _ticksSent;

    /// <summary>True once the data file has no more quotes.</summary>
    public bool QuotesExhausted { get; private set; }

    /// <summary>Connection events with their reasons, for test output and diagnosis.</summary>
    public IReadOnlyList<string> Notes
    {
        get { lock (_notesLock) return _notes.ToArray(); }
    }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        Witness.Dispose();
    }

    private void Note(string note)
    {
        lock (_notesLock) _notes.Add($"{Timestamps.Format(_time.GetUtcNow())} {note}");
    }

    /// <summary>
    /// One connection loop per stream transport, all at once, like an EA that keeps its standby links warm: when the
    /// socket dies the bridge already has the pipe, and a repaired socket is reconnected without waiting for the pipe
    /// to fail. The spool is polled throughout; the bridge writes there only while no stream is its route.
    /// </summary>
    private async Task RunAsync(CancellationToken ct)
    {
        var loops = StreamTargets().Select((target, rank) =>
        {
            _targetNames[rank] = target.Name;
            return Task.Run(() => ConnectLoopAsync(rank, target.Name, target.Connect, ct), CancellationToken.None);
        }).ToList();
        if (_options.SpoolDirectory is { } spool) loops.Add(Task.Run(() => SpoolLoopAsync(spool, ct), CancellationToken.None));
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private async Task ConnectLoopAsync(int rank, string name, Func<CancellationToken, Task<Stream>> connect, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Stream stream;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_options.ConnectTimeout);
                stream = await connect(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                NoteOnce(rank, $"{name}: connect failed: {e.GetType().Name}: {e.Message}");
                if (name == "socket") NextSocket(); // that node may be gone: try the other one
                await DelayAsync(_options.RetryDelay, ct).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _lastConnectError[rank] = null;
            Interlocked.Increment(ref _connections);
            var reason = await new EaConnection(this, rank, name, stream).RunAsync(ct).ConfigureAwait(false);
            SetLinkUp(rank, false);
            Note($"{name}: session ended: {reason}");
            var wait = _standbyUntil[rank] - _time.GetUtcNow();
            await DelayAsync(wait > _options.RetryDelay ? wait : _options.RetryDelay, ct).ConfigureAwait(false);
        }
    }

    private readonly string?[] _lastConnectError = new string?[2];

    /// <summary>A listener that stays down would repeat the same note every retry: keep the first of a run.</summary>
    private void NoteOnce(int rank, string note)
    {
        if (_lastConnectError[rank] == note) return;
        _lastConnectError[rank] = note;
        Note(note);
    }

    private async Task SpoolLoopAsync(string spool, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            PollSpool(spool);
            await DelayAsync(_options.RetryDelay, ct).ConfigureAwait(false);
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private IEnumerable<(string Name, Func<CancellationToken, Task<Stream>> Connect)> StreamTargets()
    {
        if (CurrentSocket is not null)
            yield return ("socket", async ct =>
            {
                var endpoint = CurrentSocket!;
                var socket = new System.Net.Sockets.Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(endpoint, ct).ConfigureAwait(false);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
                return new NetworkStream(socket, ownsSocket: true);
            });
        if (_options.Pipe is { } pipe)
            yield return ("pipe", async ct =>
            {
                if (OperatingSystem.IsWindows())
                {
                    var client = new System.IO.Pipes.NamedPipeClientStream(".", pipe, System.IO.Pipes.PipeDirection.InOut, System.IO.Pipes.PipeOptions.Asynchronous);
                    await client.ConnectAsync(ct).ConfigureAwait(false);
                    return client;
                }
                var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(pipe), ct).ConfigureAwait(false);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
                return new NetworkStream(socket, ownsSocket: true);
            });
    }

    /// <summary>Takes every order file the bridge spooled, in name order, and answers through from-ea files.</summary>
    private void PollSpool(string root)
    {
        var settings = new SpoolTransportSettings(root);
        if (!Directory.Exists(settings.ToEa)) return;
        var gate = new InboundGate(_codec, _time, _dedup);
        foreach (var file in SpoolCsv.PendingFiles(settings.ToEa))
        {
            string content;
            try
            {
                content = File.ReadAllText(file);
                File.Delete(file);
            }
            catch (IOException)
            {
                continue;
            }
            InboundResult result;
            try
            {
                result = gate.Accept(SpoolCsv.ToFrameBody(content));
            }
            catch (FrameException e)
            {
                result = gate.Refuse(e);
            }
            foreach (var reply in _inbox.Handle(result))
            {
                var stamped = reply.WithVersion(ProtocolVersion.V1_0);
                SpoolCsv.WriteAtomically(settings.FromEa, SpoolCsv.FileName(stamped, _time.GetUtcNow()), SpoolCsv.Format(stamped));
            }
        }
    }

    /// <summary>One connection: negotiation, a tick writer and the reader, until either side fails.</summary>
    private sealed class EaConnection(EaSimulator ea, int rank, string name, Stream stream)
    {
        private readonly SemaphoreSlim _writeLock = new(1, 1);
        private readonly SequenceNumbers _sequence = new();
        private ProtocolVersion _version = ProtocolVersion.V1_0;

        public async Task<string> RunAsync(CancellationToken ct)
        {
            using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
            // A listener that accepts but never answers (e.g. dying) must not hold the EA forever.
            using var negotiation = CancellationTokenSource.CreateLinkedTokenSource(session.Token);
            if (ea._options.Negotiate) negotiation.CancelAfter(ea._options.ConnectTimeout);
            var gate = new InboundGate(ea._codec, ea._time, ea._dedup);
            Task? ticks = null;
            try
            {
                if (ea._options.Negotiate)
                {
                    await SendAsync(ea._factory.Create(MessageType.StatusRequest, new StatusRequestPayload
                    {
                        SupportedVersions = VersionNegotiation.Offer(ea._options.HmacKey is { Length: > 0 }),
                        Client = ea._options.Source,
                    }), session.Token).ConfigureAwait(false);
                }
                else
                {
                    // A legacy EA just talks v1.0; it may stream ticks at once.
                    await SendAsync(ea._factory.Heartbeat(), session.Token).ConfigureAwait(false);
                    await ResendReportsAsync(session.Token).ConfigureAwait(false);
                    ea.NegotiatedVersion = ProtocolVersion.V1_0;
                    ea.SetLinkUp(rank, true);
                    ticks = Task.Run(() => TickLoopAsync(session.Token), CancellationToken.None);
                }
                while (true)
                {
                    var token = ticks is null ? negotiation.Token : session.Token;
                    var body = await FrameReader.ReadFrameAsync(stream, ea._codec.Options.MaxFrameBytes, token).ConfigureAwait(false);
                    if (body is null) return "bridge closed the connection";
                    var result = gate.Accept(body);
                    if (result.Disposition == InboundDisposition.Deliver && result.Message!.Type == MessageType.StatusResponse
                        && Payloads.Read<StatusResponsePayload>(result.Message.Payload) is { Status: StatusResponseStatus.Standby } standby)
                        return ea.FollowActive(rank, name, standby);
                    if (result.Disposition == InboundDisposition.Deliver && result.Message!.Type == MessageType.StatusResponse
                        && Payloads.Read<StatusResponsePayload>(result.Message.Payload).NegotiatedVersion is { } negotiated
                        && WireNames.TryParseVersion(negotiated, out var version))
                    {
                        _version = version;
                        gate.RequiredVersion = version;
                        ea.NegotiatedVersion = version;
                        await ResendReportsAsync(session.Token).ConfigureAwait(false);
                        ea.SetLinkUp(rank, true);
                        ea.Note($"{name}: connected, protocol {negotiated}");
                        // Ticks start only now: anything sent before the switch would be in the wrong envelope.
                        ticks ??= Task.Run(() => TickLoopAsync(session.Token), CancellationToken.None);
                        continue;
                    }
                    foreach (var reply in ea._inbox.Handle(result)) await SendAsync(reply, session.Token).ConfigureAwait(false);
                    if (result.Disposition == InboundDisposition.Close) return $"closing after {FrameErrors.Code(result.Reason!.Value)}";
                }
            }
            catch (FrameException e)
            {
                return $"framing: {e.Message}";
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested && ticks is null)
            {
                return $"no STATUS_RESPONSE within {ea._options.ConnectTimeout.TotalSeconds:0.#} s";
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                return $"{e.GetType().Name}: {e.Message}";
            }
            finally
            {
                await session.CancelAsync().ConfigureAwait(false);
                await stream.DisposeAsync().ConfigureAwait(false);
                if (ticks is not null)
                {
                    try
                    {
                        await ticks.ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        // the tick writer ends with the connection
                    }
                }
            }
        }

        private async Task TickLoopAsync(CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                if (!ea.IsBestLink(rank))
                {
                    await Task.Delay(ea._options.TickInterval > TimeSpan.Zero ? ea._options.TickInterval : TimeSpan.FromMilliseconds(10), ct).ConfigureAwait(false);
                    continue;
                }
                Quote quote;
                lock (ea._quoteLock)
                {
                    if (!ea._quotes.MoveNext())
                    {
                        ea.QuotesExhausted = true;
                        return;
                    }
                    quote = ea._quotes.Current;
                }
                var time = new DateTimeOffset(DateTime.SpecifyKind(quote.TimeUtc, DateTimeKind.Utc));
                var executed = ea._inbox.OnQuote(quote.Symbol, quote.Bid, quote.Ask);
                await SendAsync(ea._factory.Create(MessageType.Tick, new TickPayload(quote.Symbol, quote.Bid, quote.Ask, time)
                {
                    Volume = quote.Volume,
                }), ct).ConfigureAwait(false);
                Interlocked.Increment(ref ea._ticksSent);
                // What the quote executed follows the quote, as a terminal reports it; if the link dies first, the next one resends.
                foreach (var report in executed) await SendAsync(report, ct).ConfigureAwait(false);
                if (ea._options.TickInterval > TimeSpan.Zero) await Task.Delay(ea._options.TickInterval, ct).ConfigureAwait(false);
            }
        }

        /// <summary>Reports of the EA's own executions that no link has had ACKed yet (the bridge acts on each id once).</summary>
        private async Task ResendReportsAsync(CancellationToken ct)
        {
            foreach (var report in ea._reports.Pending()) await SendAsync(report, ct).ConfigureAwait(false);
        }

        private async Task SendAsync(BridgeMessage message, CancellationToken ct)
        {
            var frame = ea._codec.EncodeFrame(message.WithVersion(_version).WithSequence(_sequence.NextOutbound()));
            await _writeLock.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await stream.WriteAsync(frame, ct).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
    }
}
