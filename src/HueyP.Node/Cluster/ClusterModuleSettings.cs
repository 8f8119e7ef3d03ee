using HueyP.Cluster;
using HueyP.Node.Configuration;

namespace HueyP.Node.Cluster;

/// <summary>hueyp.cluster.* (hocon/modules/cluster.conf), read when the configuration is loaded.</summary>
public sealed record ClusterModuleSettings(bool Enabled, ClusterSettings Cluster, bool StandbyTail, DrillFeedSettings DrillFeed)
{
    private const string Prefix = "hueyp.cluster.";

    public static ClusterModuleSettings Read(SettingsReader read)
    {
        // hueyp.node.* is validated by NodeSettings; read raw here so a bad value is reported once.
        var candidate = string.Equals(read.String("hueyp.node.role", "standalone"), "candidate", StringComparison.OrdinalIgnoreCase);
        var defaults = new ClusterSettings { NodeName = read.String("hueyp.node.name", "hueyp-1") };
        var cluster = defaults with
        {
            LeaseName = read.String(Prefix + "lease-name", defaults.LeaseName),
            RenewInterval = read.Duration(Prefix + "renew-interval", defaults.RenewInterval),
            LeaseTtl = read.Duration(Prefix + "lease-ttl", defaults.LeaseTtl),
            AcquireInterval = read.Duration(Prefix + "acquire-interval", defaults.AcquireInterval),
            StepDownHold = read.Duration(Prefix + "step-down-hold", defaults.StepDownHold),
            WriteProbeInterval = read.Duration(Prefix + "write-probe-interval", defaults.WriteProbeInterval),
        };
        var tail = read.Bool(Prefix + "standby-tail", true);
        var drill = new DrillFeedSettings(
            read.String(Prefix + "drill-feed.file", ""),
            read.String(Prefix + "drill-feed.symbol", "") is { Length: > 0 } symbol ? symbol : null,
            read.Int(Prefix + "drill-feed.ticks-per-second", DrillFeedSettings.Off.TicksPerSecond, 1, 1_000_000),
            read.Duration(Prefix + "drill-feed.rewind", DrillFeedSettings.Off.Rewind));
        if (drill.Enabled && !File.Exists(drill.File)) read.Error(Prefix + "drill-feed.file", drill.File, "no such file");
        if (drill.Rewind < TimeSpan.Zero) read.Error(Prefix + "drill-feed.rewind", $"{drill.Rewind.TotalMilliseconds}ms", "must not be negative");
        // The feed's position travels in the heartbeats: a drill feed without them could not be resumed by the other node.
        if (drill.Enabled && cluster.WriteProbeInterval <= TimeSpan.Zero) cluster = cluster with { WriteProbeInterval = TimeSpan.FromMilliseconds(250) };
        foreach (var (setting, problem) in cluster.Validate())
        {
            read.Error(Prefix + setting, Value(cluster, setting), problem);
        }

        if (candidate && !string.Equals(read.String("hueyp.persistence.provider", "sqlite"), "postgresql", StringComparison.OrdinalIgnoreCase))
        {
            read.Error("hueyp.node.role", "candidate", "a cluster candidate needs hueyp.persistence.provider = postgresql (the lease and the shared journal live there)");
        }

        return new ClusterModuleSettings(candidate, cluster, tail, drill);
    }

    private static string Value(ClusterSettings cluster, string setting) => setting switch
    {
        "lease-name" => cluster.LeaseName,
        "renew-interval" => $"{cluster.RenewInterval.TotalMilliseconds}ms",
        "lease-ttl" => $"{cluster.LeaseTtl.TotalMilliseconds}ms",
        "acquire-interval" => $"{cluster.AcquireInterval.TotalMilliseconds}ms",
        "step-down-hold" => $"{cluster.StepDownHold.TotalMilliseconds}ms",
        _ => "?",
    };
}
