using System.IO.Pipes;
using System.Net.Sockets;
using HueyP.Actors;
using HueyP.Bridge.Transports.Session;

namespace HueyP.Bridge.Transports.Pipe;

public sealed record PipeTransportSettings(string Name)
{
    /// <summary>Where the Unix domain socket lives (non-Windows): the name itself if rooted, else under /tmp.</summary>
    public string UnixSocketPath => System.IO.Path.IsPathRooted(Name) ? Name : System.IO.Path.Combine("/tmp", Name + ".sock");

    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The local fallback: a Unix domain socket here, a named pipe on Windows (where MT4 runs natively).
/// Both give the session the same byte stream, so everything above the listener is shared.
/// </summary>
public sealed class PipeTransportActor(PipeTransportSettings pipe, SessionSettings session) : StreamTransportActor(session)
{
    public static Props Props(PipeTransportSettings pipe, SessionSettings session) =>
        Actors.Props.Create(() => new PipeTransportActor(pipe, session));

    protected override IStreamListener CreateListener() =>
        OperatingSystem.IsWindows() ? new NamedPipeStreamListener(pipe) : new UnixSocketStreamListener(pipe);
}

internal sealed class UnixSocketStreamListener : IStreamListener
{
    private readonly System.Net.Sockets.Socket _socket;
    private readonly PipeTransportSettings _settings;

    public UnixSocketStreamListener(PipeTransportSettings settings)
    {
        _settings = settings;
        Endpoint = settings.UnixSocketPath;
        // A socket file left by a crashed process would make bind fail forever.
        if (File.Exists(Endpoint)) File.Delete(Endpoint);
        _socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(Endpoint));
        _socket.Listen(8);
    }

    public string Endpoint { get; }

    public async ValueTask<AcceptedStream> AcceptAsync(CancellationToken cancellationToken)
    {
        var client = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
        client.SendTimeout = (int)_settings.SendTimeout.TotalMilliseconds;
        return new AcceptedStream(new NetworkStream(client, ownsSocket: true), "unix:" + Endpoint);
    }

    public void Dispose()
    {
        _socket.Dispose();
        try
        {
            File.Delete(Endpoint);
        }
        catch (IOException)
        {
            // best effort; the next bind deletes it anyway
        }
    }
}

/// <summary>Windows seam: one server stream per connection, created before each wait.</summary>
internal sealed class NamedPipeStreamListener(PipeTransportSettings settings) : IStreamListener
{
    private NamedPipeServerStream? _waiting;

    public string Endpoint => @"\\.\pipe\" + settings.Name;

    public async ValueTask<AcceptedStream> AcceptAsync(CancellationToken cancellationToken)
    {
        var server = new NamedPipeServerStream(settings.Name, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances,
            PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
        _waiting = server;
        await server.WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
        _waiting = null;
        return new AcceptedStream(server, Endpoint);
    }

    public void Dispose() => _waiting?.Dispose();
}
