using HueyP.Node.Configuration;

namespace HueyP.Node.Telemetry;

/// <summary>hueyp.telemetry.* (hocon/modules/telemetry.conf).</summary>
public sealed record TelemetrySettings(
    bool Enabled,
    string StateDir,
    string LogsDir,
    TimeSpan SampleInterval,
    TimeSpan WriteInterval,
    TimeSpan NavStaleAfter,
    int BusiestActors,
    TimeSpan ScoreHistory,
    int RecentEvents)
{
    /// <summary>The share of uptime the node should spend in NORMAL; the SLO strip's error budget is what is left of the rest.</summary>
    public double NormalTarget { get; init; } = 0.99;

    /// <summary>hueyp.telemetry.otlp: the node's meter pushed to an OpenTelemetry collector; off by default.</summary>
    public OtlpSettings Otlp { get; init; } = OtlpSettings.Off;

    public static TelemetrySettings Defaults(string runDir) => new(
        true, Path.Combine(runDir, "state"), Path.Combine(runDir, "logs"), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(30), 10, TimeSpan.FromMinutes(15), 500);

    public static TelemetrySettings Read(SettingsReader read)
    {
        var runDir = read.String("hueyp.node.run-dir", "run");
        var defaults = Defaults(runDir);
        var settings = new TelemetrySettings(
            read.Bool("hueyp.telemetry.enabled", defaults.Enabled),
            read.String("hueyp.telemetry.state-dir", defaults.StateDir),
            read.String("hueyp.telemetry.logs-dir", defaults.LogsDir),
            read.Duration("hueyp.telemetry.sample-interval", defaults.SampleInterval),
            read.Duration("hueyp.telemetry.write-interval", defaults.WriteInterval),
            read.Duration("hueyp.telemetry.nav-stale-after", defaults.NavStaleAfter),
            read.Int("hueyp.telemetry.busiest-actors", defaults.BusiestActors, 1, 1000),
            read.Duration("hueyp.telemetry.score-history", defaults.ScoreHistory),
            read.Int("hueyp.telemetry.recent-events", defaults.RecentEvents, 10, 100_000))
        {
            NormalTarget = read.Double("hueyp.telemetry.normal-target", 0.99, 0, 1, minExclusive: true),
            Otlp = OtlpSettings.Read(read),
        };
        // A zero interval would make the timers spin; a zero stale age would flag every NAV as stale.
        if (settings.SampleInterval < TimeSpan.FromMilliseconds(50))
            read.Error("hueyp.telemetry.sample-interval", settings.SampleInterval.ToString(), "must be at least 50ms");
        if (settings.WriteInterval < TimeSpan.FromMilliseconds(50))
            read.Error("hueyp.telemetry.write-interval", settings.WriteInterval.ToString(), "must be at least 50ms");
        if (settings.NavStaleAfter <= TimeSpan.Zero)
            read.Error("hueyp.telemetry.nav-stale-after", settings.NavStaleAfter.ToString(), "must be positive");
        if (settings.ScoreHistory < TimeSpan.FromMinutes(1))
            read.Error("hueyp.telemetry.score-history", settings.ScoreHistory.ToString(), "must be at least 1m");
        if (settings.NormalTarget >= 1)
            read.Error("hueyp.telemetry.normal-target", "1", "must be below 1: a target of 100% leaves no error budget to measure");
        return settings;
    }
}

/// <summary>hueyp.telemetry.otlp.*: where and how often the node's metrics go to an OTLP collector.</summary>
public sealed record OtlpSettings(bool Enabled, Uri Endpoint, string Protocol, TimeSpan ExportInterval)
{
    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";

    public static OtlpSettings Off { get; } = new(false, new Uri("http://127.0.0.1:4317"), Grpc, TimeSpan.FromSeconds(10));

    public static OtlpSettings Read(SettingsReader read)
    {
        const string prefix = "hueyp.telemetry.otlp.";
        var enabled = read.Bool(prefix + "enabled", Off.Enabled);
        var protocol = read.OneOf(prefix + "protocol", Off.Protocol, Grpc, HttpProtobuf);
        var interval = read.Duration(prefix + "export-interval", Off.ExportInterval);
        if (interval < TimeSpan.FromMilliseconds(100))
            read.Error(prefix + "export-interval", interval.ToString(), "must be at least 100ms");
        var text = read.String(prefix + "endpoint", Off.Endpoint.ToString());
        // Checked even while off: a typo should be found when the file is written, not when someone turns export on.
        if (!Uri.TryCreate(text, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https") || string.IsNullOrEmpty(endpoint.Host))
        {
            read.Error(prefix + "endpoint", text, "must be an absolute http:// or https:// URL of an OTLP collector, e.g. http://127.0.0.1:4317 (gRPC) or http://127.0.0.1:4318/v1/metrics (http/protobuf)");
            endpoint = Off.Endpoint;
        }

        return new OtlpSettings(enabled, endpoint, protocol, interval);
    }
}
