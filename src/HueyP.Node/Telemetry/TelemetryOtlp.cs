using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace HueyP.Node.Telemetry;

/// <summary>
/// Optional OTLP export (hueyp.telemetry.otlp.enabled = on): the OpenTelemetry SDK listens to the node's meter
/// (<see cref="TelemetryMetrics.MeterName"/>) next to /metrics and pushes every instrument to a collector each
/// export-interval, on its own thread. A collector that is down costs failed exports (logged by the SDK's own event
/// source), never a blocked engine; nothing needs a collector to start.
/// </summary>
public sealed class TelemetryOtlp : IDisposable
{
    private readonly MeterProvider _provider;

    private TelemetryOtlp(MeterProvider provider, OtlpSettings settings)
    {
        _provider = provider;
        Settings = settings;
    }

    public OtlpSettings Settings { get; }

    /// <summary>Null when export is off.</summary>
    public static TelemetryOtlp? Start(OtlpSettings settings)
    {
        if (!settings.Enabled) return null;
        var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(TelemetryMetrics.MeterName)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = settings.Endpoint;
                exporter.Protocol = settings.Protocol == OtlpSettings.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.ExportInterval.TotalMilliseconds;
            })
            .Build();
        return new TelemetryOtlp(provider, settings);
    }

    /// <summary>Pushes now; false when the collector did not take it within <paramref name="timeout"/>.</summary>
    public bool Flush(TimeSpan timeout) => _provider.ForceFlush((int)timeout.TotalMilliseconds);

    public void Dispose() => _provider.Dispose();
}
