using System.Net;
using System.Net.Sockets;
using HueyP.Actors;
using HueyP.Bridge.Transports.Session;

namespace HueyP.Bridge.Transports.Socket;

public sealed record SocketTransportSettings
{
    /// <summary>Loopback only: the EA runs on the same host, and nothing else should reach the bridge.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port (tests); the chosen one is published as <see cref="TransportListening"/>.</summary>
    public int Port { get; init; }

    /// <summary>
    /// The port port 0 resolved to on the first bind, shared by every restart of the transport: an EA that found the
    /// bridge must find it again after a repair.
    /// </summary>
    public BoundPort Bound { get; init; } = new();

    /// <summary>Bounds a write to a peer that stopped reading, so the session actor cannot hang on it.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

public sealed class BoundPort
{
    public int Value;
}

/// <summary>The primary transport: a TCP server on 127.0.0.1.</summary>
public sealed class SocketTransportActor(SocketTransportSettings socket, SessionSettings session) : StreamTransportActor(session)
{
    public static Props Props(SocketTransportSettings socket, SessionSettings session) =>
        Actors.Props.Create(() => new SocketTransportActor(socket, session));

    protected override IStreamListener CreateListener() => new TcpStreamListener(socket);
}

internal sealed class TcpStreamListener : IStreamListener
{
    private readonly TcpListener _listener;
    private readonly SocketTransportSettings _settings;

    public TcpStreamListener(SocketTransportSettings settings)
    {
        _settings = settings;
        var port = settings.Port != 0 ? settings.Port : Volatile.Read(ref settings.Bound.Value);
        _listener = new TcpListener(settings.Address, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Interlocked.CompareExchange(ref settings.Bound.Value, ((IPEndPoint)_listener.LocalEndpoint).Port, 0);
        Endpoint = _listener.LocalEndpoint.ToString()!;
    }

    public string Endpoint { get; }

    public async ValueTask<AcceptedStream> AcceptAsync(CancellationToken cancellationToken)
    {
        var client = await _listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
        client.NoDelay = true;
        client.SendTimeout = (int)_settings.SendTimeout.TotalMilliseconds;
        return new AcceptedStream(new NetworkStream(client, ownsSocket: true), client.RemoteEndPoint?.ToString() ?? "tcp");
    }

    public void Dispose() => _listener.Stop();
}
