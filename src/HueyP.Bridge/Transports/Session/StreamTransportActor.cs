using HueyP.Actors;
using HueyP.Actors.Event;

namespace HueyP.Bridge.Transports.Session;

/// <summary>
/// Accepts EA connections and runs one <see cref="StreamSessionActor"/> child per connection.
/// Accept failures throw, so the BackoffSupervisor above restarts the listener with growing delays;
/// restarting stops the sessions, which report their links down to the router.
/// </summary>
public abstract class StreamTransportActor : ReceiveActor
{
    private sealed record Accepted(AcceptedStream Connection);

    private sealed record AcceptFailed(Exception Cause);

    private readonly SessionSettings _settings;
    private readonly CancellationTokenSource _cts = new();
    private IStreamListener? _listener;
    private int _sessions;

    protected StreamTransportActor(SessionSettings settings)
    {
        _settings = settings;
        var log = Context.GetLogger();
        Receive<Accepted>(a =>
        {
            var name = $"session-{++_sessions}";
            log.Info("{Kind} connection from {Peer} ({Name})", settings.Kind, a.Connection.Peer, name);
            Context.ActorOf(Props.Create(() => new StreamSessionActor(settings, a.Connection.Stream, a.Connection.Peer)), name);
        });
        Receive<AcceptFailed>(f => throw new IOException($"{settings.Kind} listener failed: {f.Cause.Message}", f.Cause));
        Receive<InjectFault>(f =>
        {
            if (f.Fault == Router.TransportFault.Close) throw new IOException($"chaos: {settings.Kind} transport closed ({f.Reason})");
            foreach (var session in Context.GetChildren()) session.Tell(f, Sender);
        });
    }

    protected abstract IStreamListener CreateListener();

    /// <summary>A failed session is never restarted: its stream is gone; the EA reconnects and gets a fresh one.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => Actors.SupervisorStrategy.StoppingStrategy;

    protected override void PreStart()
    {
        _listener = CreateListener();
        Context.System.EventStream.Publish(new TransportListening(_settings.Kind, _listener.Endpoint));
        var listener = _listener;
        var self = Self;
        var token = _cts.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true) self.Tell(new Accepted(await listener.AcceptAsync(token).ConfigureAwait(false)), self);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                // stopping
            }
            catch (Exception e)
            {
                self.Tell(new AcceptFailed(e), self);
            }
        }, CancellationToken.None);
    }

    protected override void PostStop()
    {
        _cts.Cancel();
        _listener?.Dispose();
        _cts.Dispose();
    }
}
