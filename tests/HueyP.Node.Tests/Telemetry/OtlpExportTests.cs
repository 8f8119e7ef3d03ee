using System.Net;
using System.Net.Sockets;
using System.Text;
using HueyP.Actors;
using HueyP.Node.Cli;
using HueyP.Node.Telemetry;

namespace HueyP.Node.Tests.Telemetry;

/// <summary>
/// hueyp.telemetry.otlp: a node configured to export starts its OTLP exporter (no collector needed: exports to a
/// closed port fail quietly and the node runs on), and a bad endpoint is a configuration error naming the key.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task A_configured_exporter_pushes_the_node_metrics_to_the_collector()
    {
        using var collector = new FakeCollector();
        await using var node = await TestNode.StartAsync($$"""
            hueyp.telemetry.otlp { enabled = on, endpoint = "http://127.0.0.1:{{collector.Port}}/v1/metrics", protocol = "http/protobuf", export-interval = 1h }
            """);
        var telemetry = node.Node.Runtime.Module<TelemetryModule>()!;
        // A histogram is exported once it has a sample: a live quote gives tick to decision one, which the symbol's
        // status (asked through telemetry) shows has happened.
        node.Node.Runtime.Engine!.PublishLive(new HueyP.Domain.Market.Quote("EURUSD", DateTime.UtcNow, 1.0800, 1.0801));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!telemetry.Hub!.Latest.Symbols.Any(s => s.Symbol == "EURUSD" && s.Quotes > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "the quote never reached the symbol");
            await telemetry.Actor.Ask<TelemetryFlushed>(FlushTelemetry.Instance, TimeSpan.FromSeconds(10));
            await Task.Delay(100);
        }

        Assert.True(telemetry.Otlp!.Flush(TimeSpan.FromSeconds(30)), "the collector never acknowledged an export");
        var request = await collector.Received.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("POST /v1/metrics ", request.Head);
        Assert.Contains("application/x-protobuf", request.Head);
        // Protobuf keeps names as UTF-8: the node's meter and its instruments are in the payload.
        var body = Encoding.UTF8.GetString(request.Body);
        Assert.Contains(TelemetryMetrics.MeterName, body);
        Assert.Contains("hueyp_uptime_seconds", body);
        Assert.Contains("hueyp_tick_to_decision_seconds", body);
    }

    [Fact]
    public async Task A_missing_collector_stops_nothing()
    {
        // Port 9 (discard) on loopback: nothing listens, so every export fails.
        await using var node = await TestNode.StartAsync("""
            hueyp.telemetry.otlp { enabled = on, endpoint = "http://127.0.0.1:9", export-interval = 200ms }
            """);
        var telemetry = node.Node.Runtime.Module<TelemetryModule>()!;

        Assert.Equal(OtlpSettings.Grpc, telemetry.Otlp!.Settings.Protocol);
        Assert.False(telemetry.Otlp.Flush(TimeSpan.FromSeconds(5)));
        // The node and its own /metrics go on as before.
        Assert.Contains("hueyp_uptime_seconds", telemetry.Exporter!.Scrape());
        Assert.NotNull(node.Node.Runtime.Engine);
    }

    [Fact]
    public async Task Off_by_default()
    {
        await using var node = await TestNode.StartAsync();

        Assert.Null(node.Node.Runtime.Module<TelemetryModule>()!.Otlp);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://collector:4317")]
    [InlineData("/relative/path")]
    public async Task A_bad_endpoint_is_a_configuration_error_naming_the_key(string endpoint)
    {
        var folder = Directory.CreateTempSubdirectory("hueyp-otlp-config").FullName;
        var file = Path.Combine(folder, "bad.conf");
        await File.WriteAllTextAsync(file, $$"""
            include "{{Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf")}}"
            hueyp.node.run-dir = "{{folder}}"
            hueyp.telemetry.otlp.endpoint = "{{endpoint}}"
            """);

        var loaded = HueyP.Node.Configuration.NodeConfiguration.Load(file);
        var check = await CliHarness.RunAsync("config", "check", "--file", file);

        var error = Assert.Single(loaded.Errors, e => e.Contains("hueyp.telemetry.otlp.endpoint"));
        Assert.Contains("absolute http:// or https:// URL", error);
        Assert.Contains("bad.conf", error);
        Assert.NotEqual(ExitCodes.Ok, check.ExitCode);
        Assert.Contains("hueyp.telemetry.otlp.endpoint", check.Output + check.Error);
    }

    /// <summary>Just enough of an OTLP/HTTP collector: takes the first POST on a loopback port and answers 200.</summary>
    private sealed class FakeCollector : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly TaskCompletionSource<(string Head, byte[] Body)> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public FakeCollector()
        {
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public Task<(string Head, byte[] Body)> Received => _received.Task;

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync();
                    var stream = client.GetStream();
                    var buffer = new MemoryStream();
                    var chunk = new byte[8192];
                    int headEnd;
                    while ((headEnd = IndexOf(buffer.ToArray(), "\r\n\r\n"u8.ToArray())) < 0)
                        buffer.Write(chunk, 0, await stream.ReadAsync(chunk));
                    var head = Encoding.ASCII.GetString(buffer.ToArray(), 0, headEnd);
                    var length = int.Parse(head.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).Split(':')[1].Trim());
                    while (buffer.Length < headEnd + 4 + length) buffer.Write(chunk, 0, await stream.ReadAsync(chunk));
                    var body = buffer.ToArray()[(headEnd + 4)..(headEnd + 4 + length)];
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
                    _received.TrySetResult((head, body));
                }
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException or IOException)
            {
                // Stopped.
            }
        }

        private static int IndexOf(byte[] data, byte[] pattern)
        {
            for (var i = 0; i <= data.Length - pattern.Length; i++)
                if (data.AsSpan(i, pattern.Length).SequenceEqual(pattern)) return i;
            return -1;
        }

        public void Dispose() => _listener.Stop();
    }
}
