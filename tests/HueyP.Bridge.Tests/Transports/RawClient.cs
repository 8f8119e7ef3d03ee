using System.Net;
using System.Net.Sockets;
using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Tests.Transports;

/// <summary>A hand-driven EA connection for protocol-level tests: writes raw bytes, reads decoded frames with a bound.</summary>
internal sealed class RawClient : IDisposable
{
    private readonly NetworkStream _stream;
    private readonly BridgeCodec _codec;

    private RawClient(NetworkStream stream, BridgeCodec codec)
    {
        _stream = stream;
        _codec = codec;
    }

    public static async Task<RawClient> ConnectAsync(string endpoint, BridgeCodec codec)
    {
        var ip = IPEndPoint.Parse(endpoint);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(ip);
        return new RawClient(new NetworkStream(socket, ownsSocket: true), codec);
    }

    public void Send(BridgeMessage message) => _stream.Write(_codec.EncodeFrame(message));

    public void SendRaw(byte[] bytes) => _stream.Write(bytes);

    /// <summary>The next frame, or null when the bridge closed the connection.</summary>
    public async Task<BridgeMessage?> ReadAsync(ProtocolVersion? expect = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var body = await FrameReader.ReadFrameAsync(_stream, CodecOptions.DefaultMaxFrameBytes, timeout.Token);
            return body is null ? null : _codec.Decode(body);
        }
        catch (IOException)
        {
            return null; // reset by the bridge
        }
    }

    public async Task<BridgeMessage> ReadTypeAsync(MessageType type)
    {
        while (true)
        {
            var message = await ReadAsync() ?? throw new IOException($"closed while waiting for {type}");
            if (message.Type == type) return message;
        }
    }

    public void Dispose() => _stream.Dispose();
}
