namespace HueyP.Bridge.Transports.Session;

/// <summary>The seam between a stream transport and its OS mechanism (TCP, Unix domain socket, Windows named pipe).</summary>
public interface IStreamListener : IDisposable
{
    /// <summary>Where peers connect, e.g. "127.0.0.1:5555" or "/tmp/hueyp.sock".</summary>
    string Endpoint { get; }

    ValueTask<AcceptedStream> AcceptAsync(CancellationToken cancellationToken);
}

public sealed record AcceptedStream(Stream Stream, string Peer);
