using System.Text.RegularExpressions;
using Npgsql;

namespace HueyP.Cluster;

/// <summary>How a candidate node competes for the lease (hueyp.cluster.* in hocon/modules/cluster.conf).</summary>
public sealed partial record ClusterSettings
{
    /// <summary>Name of the lease row; both nodes of a pair use the same one. Also the advisory lock's key.</summary>
    public string LeaseName { get; init; } = "hueyp";

    /// <summary>PostgreSQL schema of the journal; the lease and member tables live beside it.</summary>
    public string Schema { get; init; } = "public";

    /// <summary>This node's name: the lease holder and the journal's writer id.</summary>
    public required string NodeName { get; init; }

    /// <summary>The active renews this often.</summary>
    public TimeSpan RenewInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A lease not renewed for this long (database clock) may be taken over; the active gives up after it (its own clock).</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A standby tries to acquire this often.</summary>
    public TimeSpan AcquireInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>After a graceful step-down a node waits this long before competing again, so the other one takes over.</summary>
    public TimeSpan StepDownHold { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>While active, write a heartbeat to the journal this often (zero: never). For tests and drills.</summary>
    public TimeSpan WriteProbeInterval { get; init; } = TimeSpan.Zero;

    /// <summary>The admin endpoint this node announces in the member table (for `hueyp cluster show`).</summary>
    public string AdminEndpoint { get; init; } = "";

    /// <summary>Problems with the values, each as (setting, problem); empty when usable.</summary>
    public IReadOnlyList<(string Setting, string Problem)> Validate()
    {
        var problems = new List<(string, string)>();
        if (!PlainName().IsMatch(LeaseName)) problems.Add(("lease-name", "must be letters, digits, '-' or '_' (at most 60)"));
        if (RenewInterval <= TimeSpan.Zero) problems.Add(("renew-interval", "must be positive"));
        if (AcquireInterval <= TimeSpan.Zero) problems.Add(("acquire-interval", "must be positive"));
        // Two renewals must fit in one TTL, or a single slow round trip would cost the lease.
        if (LeaseTtl < RenewInterval * 2) problems.Add(("lease-ttl", $"must be at least twice renew-interval ({RenewInterval.TotalMilliseconds:0} ms)"));
        if (StepDownHold < TimeSpan.Zero) problems.Add(("step-down-hold", "must not be negative"));
        return problems;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,60}$")]
    private static partial Regex PlainName();

    internal string LeaseTable => $"\"{Schema}\".cluster_lease";
    internal string MemberTable => $"\"{Schema}\".cluster_member";
    internal string JournalTable => $"\"{Schema}\".event_journal";

    /// <summary>
    /// The journal's connection string for a candidate node: a transaction left open by a frozen process holds its
    /// share lock on the lease row and would block the takeover forever, so PostgreSQL ends such a session after one TTL.
    /// </summary>
    public string FencedJournalConnectionString(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var timeout = $"-c idle_in_transaction_session_timeout={(long)LeaseTtl.TotalMilliseconds}";
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? timeout : $"{builder.Options} {timeout}";
        return builder.ConnectionString;
    }
}
