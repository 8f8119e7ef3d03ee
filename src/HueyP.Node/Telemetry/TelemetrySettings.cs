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
            read.Int("hueyp.telemetry.recent-events", defaults.RecentEvents, 10, 100_000));
        // A zero interval would make the timers spin; a zero stale age would flag every NAV as stale.
        if (settings.SampleInterval < TimeSpan.FromMilliseconds(50))
            read.Error("hueyp.telemetry.sample-interval", settings.SampleInterval.ToString(), "must be at least 50ms");
        if (settings.WriteInterval < TimeSpan.FromMilliseconds(50))
            read.Error("hueyp.telemetry.write-interval", settings.WriteInterval.ToString(), "must be at least 50ms");
        if (settings.NavStaleAfter <= TimeSpan.Zero)
            read.Error("hueyp.telemetry.nav-stale-after", settings.NavStaleAfter.ToString(), "must be positive");
        if (settings.ScoreHistory < TimeSpan.FromMinutes(1))
            read.Error("hueyp.telemetry.score-history", settings.ScoreHistory.ToString(), "must be at least 1m");
        return settings;
    }
}
